namespace Faasten.Labels;

/// <summary>
/// A non-empty disjunction of principals (<c>alice|bob</c>), kept in canonical form.
/// </summary>
/// <remarks>
/// Clause implication: <c>c1 ⇒ c2</c> iff every principal of c1 is a prefix of some principal of
/// c2. A disjunction is only as strong as its weakest member, and <c>p ⇒ q</c> when p is a prefix
/// of q, so in <c>alice|alice/pma</c> the stronger <c>alice</c> adds nothing: the clause is
/// equivalent to <c>alice/pma</c>. Canonical form therefore keeps only the principals that are not
/// a prefix of another member (the maximal ones), sorted. Two clauses are equivalent exactly when
/// they have the same maximal principals, so equivalent clauses are equal.
/// </remarks>
public sealed class Clause : IEquatable<Clause>, IComparable<Clause>
{
    private readonly Principal[] _principals;
    private readonly int _hash;

    // Union of the principals' first-token bits; c1 ⇒ c2 needs c1's bits ⊆ c2's bits.
    private readonly ulong _signature;

    // Characters this clause prints to.
    private readonly int _textLength;

    public Clause(params Principal[] principals)
        : this((IEnumerable<Principal>)principals)
    {
    }

    /// <exception cref="LabelTooLargeException">More than <see cref="LabelLimits.MaxPrincipals"/> principals after reduction.</exception>
    public Clause(IEnumerable<Principal> principals)
        : this(CheckSize(Canonicalize(CopyChecked(principals))), canonical: true)
    {
    }

    // Takes ownership of a canonical (sorted, reduced) array. Not size-checked: ∨ builds candidate
    // clauses that may exceed the principal limit and are then dropped; a component checks the
    // clauses it keeps.
    private Clause(Principal[] principals, bool canonical)
    {
        _ = canonical;
        _principals = principals;
        var hash = new HashCode();
        ulong signature = 0;
        var textLength = principals.Length - 1;
        foreach (var p in principals)
        {
            hash.Add(p.GetHashCode());
            signature |= p.FirstTokenBit;
            textLength += p.TextLength;
        }
        _hash = hash.ToHashCode();
        _signature = signature;
        _textLength = textLength;
    }

    public IReadOnlyList<Principal> Principals => _principals;

    internal Principal[] PrincipalArray => _principals;

    internal ulong Signature => _signature;

    /// <summary>Length of the printed form.</summary>
    internal int TextLength => _textLength;

    /// <summary>Cheap necessary condition for <c>this ⇒ other</c>, for callers' inner loops.</summary>
    internal bool MayImply(Clause other) => (_signature & ~other._signature) == 0;

    public static Clause Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new LabelParser(text);
        return parser.TryParseClause(out var clause) ? clause : throw parser.Error();
    }

    /// <summary>Every principal of this clause is a prefix of some principal of <paramref name="other"/>.</summary>
    public bool Implies(Clause other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(this, other))
        {
            return true;
        }
        // Members of a canonical clause are pairwise prefix-incomparable, so two of them cannot
        // both be prefixes of the same principal: an implication maps them injectively.
        if ((_signature & ~other._signature) != 0 || _principals.Length > other._principals.Length)
        {
            return false;
        }
        var theirs = other._principals;
        foreach (var p in _principals)
        {
            var found = false;
            foreach (var q in theirs)
            {
                if (p.IsPrefixOf(q))
                {
                    found = true;
                    break;
                }
            }
            if (!found)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The disjunction <c>a ∨ b</c> in canonical form.</summary>
    internal static Clause Or(Clause a, Clause b)
    {
        if (a.Implies(b))
        {
            return b;
        }
        if (b.Implies(a))
        {
            return a;
        }
        // Both sides are sorted: merge instead of sorting again.
        var x = a._principals;
        var y = b._principals;
        var merged = new Principal[x.Length + y.Length];
        int i = 0, j = 0, n = 0;
        while (i < x.Length && j < y.Length)
        {
            merged[n++] = x[i].CompareTo(y[j]) <= 0 ? x[i++] : y[j++];
        }
        while (i < x.Length)
        {
            merged[n++] = x[i++];
        }
        while (j < y.Length)
        {
            merged[n++] = y[j++];
        }
        return new Clause(ReduceSorted(merged), canonical: true);
    }

    /// <summary>The parser's clause; it counted the principals already.</summary>
    internal static Clause FromPrincipals(List<Principal> principals) => new(CheckSize(Canonicalize([.. principals])), canonical: true);

    private static Principal[] CheckSize(Principal[] canonical)
    {
        var max = LabelLimits.Default.MaxPrincipals;
        return canonical.Length <= max
            ? canonical
            : throw new LabelTooLargeException(nameof(LabelLimits.MaxPrincipals), $"a clause of {canonical.Length} principals is more than {max}");
    }

    public bool Equals(Clause? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }
        if (other is null || other._hash != _hash || other._principals.Length != _principals.Length)
        {
            return false;
        }
        for (var i = 0; i < _principals.Length; i++)
        {
            if (!_principals[i].Equals(other._principals[i]))
            {
                return false;
            }
        }
        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as Clause);

    public override int GetHashCode() => _hash;

    /// <summary>Canonical order: lexicographic over the sorted principals.</summary>
    public int CompareTo(Clause? other)
    {
        if (other is null)
        {
            return 1;
        }
        if (ReferenceEquals(this, other))
        {
            return 0;
        }
        var n = Math.Min(_principals.Length, other._principals.Length);
        for (var i = 0; i < n; i++)
        {
            var c = _principals[i].CompareTo(other._principals[i]);
            if (c != 0)
            {
                return c;
            }
        }
        return _principals.Length.CompareTo(other._principals.Length);
    }

    public override string ToString()
    {
        var builder = new System.Text.StringBuilder();
        LabelPrinter.AppendClause(builder, this);
        return builder.ToString();
    }

    private static Principal[] Canonicalize(Principal[] items)
    {
        Array.Sort(items);
        return ReduceSorted(items);
    }

    // Drops every principal that is a prefix of (or equal to) its successor. Extensions of p sort
    // contiguously right after p, so checking the successor finds them all.
    private static Principal[] ReduceSorted(Principal[] items)
    {
        var count = 0;
        for (var i = 0; i < items.Length; i++)
        {
            if (i + 1 < items.Length && items[i].IsPrefixOf(items[i + 1]))
            {
                continue;
            }
            items[count++] = items[i];
        }
        return count == items.Length ? items : items[..count];
    }

    private static Principal[] CopyChecked(IEnumerable<Principal> principals)
    {
        ArgumentNullException.ThrowIfNull(principals);
        Principal[] copy = [.. principals];
        if (copy.Length == 0)
        {
            throw new ArgumentException("A clause needs at least one principal.", nameof(principals));
        }
        foreach (var p in copy)
        {
            if (p is null)
            {
                throw new ArgumentException("A clause cannot hold a null principal.", nameof(principals));
            }
        }
        return copy;
    }
}

using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace Faasten.Labels;

/// <summary>
/// A label component or privilege: <c>F</c>, or a conjunction of clauses (the empty one is <c>T</c>).
/// </summary>
/// <remarks>
/// Canonical form: no clause is implied by another clause of the component (in <c>x ∧ y</c> with
/// <c>x ⇒ y</c>, y adds nothing), clauses sorted by <see cref="Clause.CompareTo"/>. Because clause
/// implication is a partial order on canonical clauses, equivalent components have the same
/// minimal clauses and are therefore equal, hash equal and print byte-equal.
/// <see cref="Clauses"/> is empty for both <c>T</c> and <c>F</c>; <see cref="IsFalse"/> tells them apart.
/// The implication checks allocate nothing: they sit on every label flow check.
/// </remarks>
[JsonConverter(typeof(ComponentJsonConverter))]
public sealed class Component : IEquatable<Component>
{
    private readonly Clause[] _clauses;
    private readonly bool _isFalse;
    private readonly int _hash;
    private readonly int _textLength;
    private string? _text;

    // Takes ownership of a canonical array; callers check the limits (see Checked).
    private Component(Clause[] canonical, bool isFalse)
    {
        _clauses = canonical;
        _isFalse = isFalse;
        var hash = new HashCode();
        hash.Add(isFalse);
        var textLength = canonical.Length == 0 ? 1 : canonical.Length - 1;
        foreach (var clause in canonical)
        {
            hash.Add(clause.GetHashCode());
            textLength += clause.TextLength;
        }
        // LabelPrinter writes a lone principal named T or F as \T or \F.
        if (canonical is [{ PrincipalArray: [{ TokenArray: ["T" or "F"] }] }])
        {
            textLength++;
        }
        _hash = hash.ToHashCode();
        _textLength = textLength;
    }

    public static Component True { get; } = new([], isFalse: false);

    public static Component False { get; } = new([], isFalse: true);

    public bool IsTrue => !_isFalse && _clauses.Length == 0;

    public bool IsFalse => _isFalse;

    public IReadOnlyList<Clause> Clauses => _clauses;

    internal Clause[] ClauseArray => _clauses;

    /// <summary>Length of the printed form (<see cref="ToString"/>).</summary>
    internal int TextLength => _textLength;

    /// <exception cref="LabelTooLargeException">The principal prints longer than <see cref="LabelLimits.MaxTextLength"/>.</exception>
    public static Component FromPrincipal(Principal p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return Checked([new Clause(p)], 1);
    }

    /// <exception cref="LabelTooLargeException">The clause exceeds <see cref="LabelLimits"/>.</exception>
    public static Component FromClause(Clause clause)
    {
        ArgumentNullException.ThrowIfNull(clause);
        return Checked([clause], 1);
    }

    /// <summary>The conjunction of <paramref name="clauses"/>, reduced; no clauses gives <c>T</c>.</summary>
    /// <exception cref="LabelTooLargeException">More than <see cref="LabelLimits.MaxClauses"/> clauses are
    /// given (counted before reduction, which is quadratic), or the result exceeds a limit.</exception>
    public static Component FromClauses(IEnumerable<Clause> clauses)
    {
        ArgumentNullException.ThrowIfNull(clauses);
        var items = clauses.ToArray();
        var max = LabelLimits.Default.MaxClauses;
        if (items.Length > max)
        {
            throw new LabelTooLargeException(nameof(LabelLimits.MaxClauses), $"a component of {items.Length} clauses is more than {max}");
        }
        foreach (var clause in items)
        {
            ArgumentNullException.ThrowIfNull(clause, nameof(clauses));
        }
        return Checked(items, ClauseReduction.Reduce(items, items.Length));
    }

    /// <summary><c>this ⇒ other</c>: F implies everything, everything implies T, otherwise every
    /// clause of <paramref name="other"/> is implied by some clause of this component.</summary>
    public bool Implies(Component other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (_isFalse || ReferenceEquals(this, other))
        {
            return true;
        }
        if (other._isFalse)
        {
            return false;
        }
        foreach (var target in other._clauses)
        {
            if (!AnyImplies(_clauses, target))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary><c>(a ∧ b) ⇒ target</c> without building the conjunction.</summary>
    internal static bool ConjunctionImplies(Component a, Component b, Component target)
    {
        if (a._isFalse || b._isFalse)
        {
            return true;
        }
        if (target._isFalse)
        {
            return false;
        }
        foreach (var clause in target._clauses)
        {
            if (!AnyImplies(a._clauses, clause) && !AnyImplies(b._clauses, clause))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Conjunction: union of clauses, reduced; F absorbs, T is the identity.</summary>
    /// <exception cref="LabelTooLargeException">The exact result exceeds <see cref="LabelLimits"/>.</exception>
    public Component And(Component other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Absorbs(other, out var trivial))
        {
            return trivial;
        }
        var merged = Union(other);
        return Checked(merged, ClauseReduction.Reduce(merged, merged.Length));
    }

    /// <summary>
    /// <c>this ∧ other</c>, or when that exceeds the limits or <paramref name="maxTextLength"/>, the
    /// first of its clauses (canonical order) that fit: a conjunction of fewer clauses, so a
    /// component the exact one implies. Sound only where a weaker component is the conservative
    /// side, i.e. for integrity (see <see cref="Label.Endorse"/>).
    /// </summary>
    internal Component AndWeakened(Component other, int maxTextLength)
    {
        if (Absorbs(other, out var trivial))
        {
            return trivial.FitWithin(maxTextLength);
        }
        var merged = Union(other);
        return Fit(merged, ClauseReduction.Reduce(merged, merged.Length), maxTextLength);
    }

    /// <summary>Exact disjunction: <c>(∧ cᵢ) ∨ (∧ dⱼ) = ∧ᵢⱼ (cᵢ ∨ dⱼ)</c>, reduced; T absorbs, F is the identity.</summary>
    /// <exception cref="LabelTooLargeException">The distribution needs more than
    /// <see cref="LabelLimits.MaxClauseMerges"/> clause merges, or the exact result exceeds a limit.</exception>
    public Component Or(Component other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Absorbed(other, out var trivial))
        {
            return trivial;
        }
        var budget = LabelLimits.Default.MaxClauseMerges;
        var merges = _clauses.Length * other._clauses.Length;
        if (merges > budget)
        {
            throw new LabelTooLargeException(
                nameof(LabelLimits.MaxClauseMerges),
                $"the disjunction of components of {_clauses.Length} and {other._clauses.Length} clauses needs {merges} clause merges, more than {budget}");
        }
        var pairs = new Clause[merges];
        var k = 0;
        foreach (var c in _clauses)
        {
            foreach (var d in other._clauses)
            {
                pairs[k++] = Clause.Or(c, d);
            }
        }
        return Checked(pairs, ClauseReduction.Reduce(pairs, k));
    }

    /// <summary>
    /// <c>this ∨ other</c> computed within <see cref="LabelLimits.MaxClauseMerges"/>: a component the
    /// exact disjunction implies (equal to it whenever that fits the limits). The exact CNF is the
    /// conjunction of all merged pairs <c>cᵢ ∨ dⱼ</c>; this conjoins only some of them: merges of
    /// the first clauses (canonical order) of each side up to the budget, without merges of more
    /// than <see cref="LabelLimits.MaxPrincipals"/> principals, and after reduction only the first
    /// clauses that fit <see cref="LabelLimits.MaxClauses"/> and <paramref name="maxTextLength"/>.
    /// Dropping conjuncts only weakens, so this is sound where weaker is conservative: integrity
    /// (see <see cref="Label.Lub"/>). Which merges are kept depends on the two sides' sizes, not
    /// their order, so the operation stays commutative; it need not stay associative.
    /// </summary>
    internal Component OrWeakened(Component other, int maxTextLength)
    {
        if (Absorbed(other, out var trivial))
        {
            return trivial.FitWithin(maxTextLength);
        }
        var limits = LabelLimits.Default;
        var (small, large) = _clauses.Length <= other._clauses.Length ? (_clauses, other._clauses) : (other._clauses, _clauses);
        int rows = small.Length, columns = large.Length;
        if (rows * columns > limits.MaxClauseMerges)
        {
            // A square of merges when both sides are large; when the sizes are equal the roles
            // coincide, so either order picks the same merges.
            rows = Math.Min(rows, Math.Max(1, (int)Math.Sqrt(limits.MaxClauseMerges)));
            columns = Math.Min(columns, Math.Max(1, limits.MaxClauseMerges / rows));
        }
        var pairs = new Clause[rows * columns];
        var k = 0;
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                var merged = Clause.Or(small[i], large[j]);
                if (merged.PrincipalArray.Length <= limits.MaxPrincipals)
                {
                    pairs[k++] = merged;
                }
            }
        }
        return Fit(pairs, ClauseReduction.Reduce(pairs, k), maxTextLength);
    }

    /// <summary>Drops every clause implied by <paramref name="privilege"/> (all of them, giving T, when it is F).
    /// An F component keeps F unless the privilege is F: it has no clauses a privilege could cover.</summary>
    internal Component DropClausesImpliedBy(Component privilege)
    {
        if (privilege._isFalse)
        {
            return True;
        }
        if (_isFalse || privilege.IsTrue)
        {
            return this;
        }
        var kept = 0;
        foreach (var clause in _clauses)
        {
            if (!AnyImplies(privilege._clauses, clause))
            {
                kept++;
            }
        }
        if (kept == _clauses.Length)
        {
            return this;
        }
        // A subset of a canonical component is still reduced and sorted.
        var result = new Clause[kept];
        var i = 0;
        foreach (var clause in _clauses)
        {
            if (!AnyImplies(privilege._clauses, clause))
            {
                result[i++] = clause;
            }
        }
        return kept == 0 ? True : new Component(result, isFalse: false);
    }

    public static Component Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new LabelParser(text);
        return parser.TryParseComponent(out var component) ? component : throw parser.Error();
    }

    public static bool TryParse(string text, [NotNullWhen(true)] out Component? c, [NotNullWhen(false)] out LabelFormatException? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new LabelParser(text);
        if (parser.TryParseComponent(out c))
        {
            error = null;
            return true;
        }
        error = parser.Error();
        return false;
    }

    public bool Equals(Component? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }
        if (other is null || other._hash != _hash || other._isFalse != _isFalse || other._clauses.Length != _clauses.Length)
        {
            return false;
        }
        for (var i = 0; i < _clauses.Length; i++)
        {
            if (!_clauses[i].Equals(other._clauses[i]))
            {
                return false;
            }
        }
        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as Component);

    public override int GetHashCode() => _hash;

    public override string ToString() => _text ??= LabelPrinter.Print(this);

    /// <summary>The parser's component; it counted the clauses already.</summary>
    internal static Component FromClauseList(List<Clause> clauses)
    {
        Clause[] items = [.. clauses];
        return Checked(items, ClauseReduction.Reduce(items, items.Length));
    }

    // The trivial cases of ∧: F absorbs, T is the identity, and x ∧ y = x when x ⇒ y.
    private bool Absorbs(Component other, out Component result)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (_isFalse || other.IsTrue)
        {
            result = this;
        }
        else if (other._isFalse || IsTrue)
        {
            result = other;
        }
        else
        {
            result = Implies(other) ? this : other.Implies(this) ? other : null!;
        }
        return result is not null;
    }

    // The trivial cases of ∨: T absorbs, F is the identity, and x ∨ y = y when x ⇒ y.
    private bool Absorbed(Component other, out Component result)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (_isFalse || other.IsTrue)
        {
            result = other;
        }
        else if (other._isFalse || IsTrue)
        {
            result = this;
        }
        else
        {
            result = Implies(other) ? other : other.Implies(this) ? this : null!;
        }
        return result is not null;
    }

    private Clause[] Union(Component other)
    {
        var merged = new Clause[_clauses.Length + other._clauses.Length];
        _clauses.CopyTo(merged, 0);
        other._clauses.CopyTo(merged, _clauses.Length);
        return merged;
    }

    // Builds a component from the first count (reduced, sorted) items, refusing one over the limits.
    private static Component Checked(Clause[] items, int count)
    {
        var limits = LabelLimits.Default;
        if (count == 0)
        {
            return True;
        }
        if (count > limits.MaxClauses)
        {
            throw new LabelTooLargeException(nameof(LabelLimits.MaxClauses), $"a component of {count} clauses is more than {limits.MaxClauses}");
        }
        for (var i = 0; i < count; i++)
        {
            var principals = items[i].PrincipalArray.Length;
            if (principals > limits.MaxPrincipals)
            {
                throw new LabelTooLargeException(nameof(LabelLimits.MaxPrincipals), $"a clause of {principals} principals is more than {limits.MaxPrincipals}");
            }
        }
        var component = new Component(count == items.Length ? items : items[..count], isFalse: false);
        return component._textLength <= limits.MaxTextLength
            ? component
            : throw new LabelTooLargeException(nameof(LabelLimits.MaxTextLength), $"a component of {component._textLength} characters is more than {limits.MaxTextLength}");
    }

    // The longest prefix of the first count (reduced, sorted) items within the clause limit and
    // maxTextLength: still reduced and sorted, and implied by their whole conjunction. T if none fits.
    private static Component Fit(Clause[] items, int count, int maxTextLength)
    {
        var limits = LabelLimits.Default;
        maxTextLength = Math.Min(maxTextLength, limits.MaxTextLength);
        var keep = 0;
        var textLength = -1;
        for (; keep < count && keep < limits.MaxClauses; keep++)
        {
            var next = textLength + 1 + items[keep].TextLength;
            if (next > maxTextLength)
            {
                break;
            }
            textLength = next;
        }
        if (keep == 0)
        {
            return True;
        }
        var component = new Component(keep == items.Length ? items : items[..keep], isFalse: false);
        // Only the \T escape of a lone keyword-named principal can still overflow.
        return component._textLength <= maxTextLength ? component : True;
    }

    // This component, or the prefix of its clauses that fits maxTextLength.
    private Component FitWithin(int maxTextLength) =>
        _textLength <= maxTextLength || _isFalse ? this : Fit(_clauses, _clauses.Length, maxTextLength);

    private static bool AnyImplies(Clause[] clauses, Clause target)
    {
        foreach (var clause in clauses)
        {
            // The inline signature test skips the call for almost every non-implying pair.
            if (clause.MayImply(target) && clause.Implies(target))
            {
                return true;
            }
        }
        return false;
    }
}

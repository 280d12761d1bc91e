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
    private string? _text;

    private Component(Clause[] canonical, bool isFalse)
    {
        _clauses = canonical;
        _isFalse = isFalse;
        var hash = new HashCode();
        hash.Add(isFalse);
        foreach (var clause in canonical)
        {
            hash.Add(clause.GetHashCode());
        }
        _hash = hash.ToHashCode();
    }

    public static Component True { get; } = new([], isFalse: false);

    public static Component False { get; } = new([], isFalse: true);

    public bool IsTrue => !_isFalse && _clauses.Length == 0;

    public bool IsFalse => _isFalse;

    public IReadOnlyList<Clause> Clauses => _clauses;

    internal Clause[] ClauseArray => _clauses;

    public static Component FromPrincipal(Principal p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new([new Clause(p)], isFalse: false);
    }

    public static Component FromClause(Clause clause)
    {
        ArgumentNullException.ThrowIfNull(clause);
        return new([clause], isFalse: false);
    }

    /// <summary>The conjunction of <paramref name="clauses"/>, reduced; no clauses gives <c>T</c>.</summary>
    public static Component FromClauses(IEnumerable<Clause> clauses)
    {
        ArgumentNullException.ThrowIfNull(clauses);
        var items = clauses.ToArray();
        foreach (var clause in items)
        {
            ArgumentNullException.ThrowIfNull(clause, nameof(clauses));
        }
        return Reduce(items);
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
    public Component And(Component other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (_isFalse || other.IsTrue)
        {
            return this;
        }
        if (other._isFalse || IsTrue)
        {
            return other;
        }
        if (Implies(other))
        {
            return this;
        }
        if (other.Implies(this))
        {
            return other;
        }
        var merged = new Clause[_clauses.Length + other._clauses.Length];
        _clauses.CopyTo(merged, 0);
        other._clauses.CopyTo(merged, _clauses.Length);
        return Reduce(merged);
    }

    /// <summary>Exact disjunction: <c>(∧ cᵢ) ∨ (∧ dⱼ) = ∧ᵢⱼ (cᵢ ∨ dⱼ)</c>, reduced; T absorbs, F is the identity.</summary>
    public Component Or(Component other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (_isFalse || other.IsTrue)
        {
            return other;
        }
        if (other._isFalse || IsTrue)
        {
            return this;
        }
        if (Implies(other))
        {
            return other;
        }
        if (other.Implies(this))
        {
            return this;
        }
        var pairs = new Clause[_clauses.Length * other._clauses.Length];
        var k = 0;
        foreach (var c in _clauses)
        {
            foreach (var d in other._clauses)
            {
                pairs[k++] = Clause.Or(c, d);
            }
        }
        return Reduce(pairs);
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

    internal static Component FromClauseList(List<Clause> clauses) => Reduce([.. clauses]);

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

    // Sorts, removes duplicates, then drops each clause implied by another one. Takes ownership of items.
    private static Component Reduce(Clause[] items)
    {
        if (items.Length == 0)
        {
            return True;
        }
        Array.Sort(items);
        var unique = 1;
        for (var i = 1; i < items.Length; i++)
        {
            if (!items[i].Equals(items[unique - 1]))
            {
                items[unique++] = items[i];
            }
        }
        // Keeps the minimal clauses. Distinct canonical clauses never imply each other both ways,
        // so every dropped clause is implied, transitively, by a kept one. This loop is quadratic
        // (400 candidates after a 20×20 ∨), so it pre-filters on signature and size: an implying
        // clause has no more principals than the one it implies.
        Span<ulong> signatures = unique <= 64 ? stackalloc ulong[unique] : new ulong[unique];
        Span<int> lengths = unique <= 64 ? stackalloc int[unique] : new int[unique];
        Span<bool> kept = unique <= 64 ? stackalloc bool[unique] : new bool[unique];
        for (var i = 0; i < unique; i++)
        {
            signatures[i] = items[i].Signature;
            lengths[i] = items[i].PrincipalArray.Length;
        }
        var count = 0;
        for (var i = 0; i < unique; i++)
        {
            var signature = signatures[i];
            var length = lengths[i];
            var implied = false;
            for (var j = 0; j < unique; j++)
            {
                if ((signatures[j] & ~signature) == 0 && lengths[j] <= length && j != i && items[j].Implies(items[i]))
                {
                    implied = true;
                    break;
                }
            }
            kept[i] = !implied;
            if (!implied)
            {
                count++;
            }
        }
        var result = count == items.Length ? items : new Clause[count];
        var k = 0;
        for (var i = 0; i < unique; i++)
        {
            if (kept[i])
            {
                result[k++] = items[i];
            }
        }
        return new Component(result, isFalse: false);
    }
}

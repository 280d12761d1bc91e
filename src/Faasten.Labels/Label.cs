using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace Faasten.Labels;

/// <summary>
/// A Buckle label <c>secrecy,integrity</c>. Both components are canonical, so equal labels compare,
/// hash and print equal. Flow checks allocate nothing.
/// </summary>
/// <remarks>
/// Every label fits <see cref="LabelLimits.Default"/>, its text included, so whatever an operation
/// computes can be printed, stored and parsed back. Operations whose exact result would not fit
/// treat the two components differently. Secrecy is never approximated: a label whose secrecy
/// would outgrow the limits is refused with <see cref="LabelTooLargeException"/> (dropping a
/// secrecy clause would declassify). Integrity produced by <see cref="Lub"/>, <see cref="Downgrade"/>
/// and <see cref="Endorse"/> is instead weakened: clauses of the exact integrity conjunction are
/// dropped (down to <c>T</c> at worst). A weaker integrity vouches for less, so the label is higher
/// in the lattice than the exact result: it can flow to fewer places and write fewer objects, which
/// is the conservative side. <see cref="Glb"/>, used to compute lower bounds, is exact or fails.
/// </remarks>
[JsonConverter(typeof(LabelJsonConverter))]
public sealed class Label : IEquatable<Label>
{
    private string? _text;

    /// <exception cref="LabelTooLargeException">The label prints longer than <see cref="LabelLimits.MaxTextLength"/>.</exception>
    public Label(Component secrecy, Component integrity)
    {
        ArgumentNullException.ThrowIfNull(secrecy);
        ArgumentNullException.ThrowIfNull(integrity);
        var textLength = secrecy.TextLength + 1 + integrity.TextLength;
        var max = LabelLimits.Default.MaxTextLength;
        if (textLength > max)
        {
            throw new LabelTooLargeException(nameof(LabelLimits.MaxTextLength), $"a label of {textLength} characters is more than {max}");
        }
        Secrecy = secrecy;
        Integrity = integrity;
    }

    /// <summary><c>T,T</c>: readable by anyone, vouched for by no one.</summary>
    public static Label Public { get; } = new(Component.True, Component.True);

    /// <summary><c>F,T</c>: the most secret label; flows nowhere else.</summary>
    public static Label Top { get; } = new(Component.False, Component.True);

    /// <summary><c>T,F</c>: the most trusted label; flows everywhere.</summary>
    public static Label Bottom { get; } = new(Component.True, Component.False);

    public Component Secrecy { get; }

    public Component Integrity { get; }

    /// <summary><c>this ⊑ other</c>: <c>other.S ⇒ this.S</c> and <c>this.I ⇒ other.I</c>.</summary>
    public bool CanFlowTo(Label other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return other.Secrecy.Implies(Secrecy) && Integrity.Implies(other.Integrity);
    }

    /// <summary><c>this ⊑_p other</c>: <c>(other.S ∧ p) ⇒ this.S</c> and <c>(this.I ∧ p) ⇒ other.I</c>.</summary>
    public bool CanFlowTo(Label other, Component privilege)
    {
        ArgumentNullException.ThrowIfNull(other);
        ArgumentNullException.ThrowIfNull(privilege);
        return Component.ConjunctionImplies(other.Secrecy, privilege, Secrecy)
            && Component.ConjunctionImplies(Integrity, privilege, other.Integrity);
    }

    /// <summary>
    /// Least upper bound: <c>(a.S ∧ b.S, a.I ∨ b.I)</c>. Within <see cref="LabelLimits"/> the result
    /// is exact. Otherwise the integrity conjoins only some clauses of the exact CNF distribution
    /// (at most <see cref="LabelLimits.MaxClauseMerges"/> merges are made, merges wider than
    /// <see cref="LabelLimits.MaxPrincipals"/> are skipped, and only the first clauses that fit are
    /// kept): every dropped conjunct makes it weaker, so the result is still an upper bound of both
    /// labels, only not the least one.
    /// </summary>
    /// <exception cref="LabelTooLargeException">The secrecy <c>a.S ∧ b.S</c> exceeds the limits.
    /// Nothing is approximated then, since a smaller secrecy would declassify.</exception>
    public Label Lub(Label other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var secrecy = Secrecy.And(other.Secrecy);
        return With(secrecy, Integrity.OrWeakened(other.Integrity, IntegrityTextBudget(secrecy)));
    }

    /// <summary>Greatest lower bound: <c>(a.S ∨ b.S, a.I ∧ b.I)</c>, exact.</summary>
    /// <exception cref="LabelTooLargeException">The exact result, or the work of its <c>∨</c>, exceeds the limits.</exception>
    public Label Glb(Label other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return With(Secrecy.Or(other.Secrecy), Integrity.And(other.Integrity));
    }

    /// <summary>
    /// Declassifies and endorses with <paramref name="privilege"/>: secrecy drops every clause the
    /// privilege implies (all of them when it is F), integrity becomes <c>p ∧ I</c>. The result is
    /// ⊑_p-equivalent to this label and ⊑ it when <c>p ∧ I</c> fits the limits; otherwise the
    /// integrity keeps the first clauses of <c>p ∧ I</c> that fit, a label above the exact result.
    /// </summary>
    public Label Downgrade(Component privilege)
    {
        ArgumentNullException.ThrowIfNull(privilege);
        var secrecy = Secrecy.DropClausesImpliedBy(privilege);
        return With(secrecy, privilege.AndWeakened(Integrity, IntegrityTextBudget(secrecy)));
    }

    /// <summary>Integrity becomes <c>p ∧ I</c> (weakened to fit the limits, as in <see cref="Downgrade"/>); secrecy is unchanged.</summary>
    public Label Endorse(Component privilege)
    {
        ArgumentNullException.ThrowIfNull(privilege);
        return With(Secrecy, privilege.AndWeakened(Integrity, IntegrityTextBudget(Secrecy)));
    }

    public static Label Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new LabelParser(text);
        return parser.TryParseLabel(out var label) ? label : throw parser.Error();
    }

    public static bool TryParse(string text, [NotNullWhen(true)] out Label? label, [NotNullWhen(false)] out LabelFormatException? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new LabelParser(text);
        if (parser.TryParseLabel(out label))
        {
            error = null;
            return true;
        }
        error = parser.Error();
        return false;
    }

    public bool Equals(Label? other) =>
        ReferenceEquals(this, other)
        || (other is not null && Secrecy.Equals(other.Secrecy) && Integrity.Equals(other.Integrity));

    public override bool Equals(object? obj) => Equals(obj as Label);

    public override int GetHashCode() => HashCode.Combine(Secrecy.GetHashCode(), Integrity.GetHashCode());

    public override string ToString() => _text ??= Secrecy.ToString() + "," + Integrity.ToString();

    // What is left of the label's text limit for the integrity next to secrecy and the comma.
    private static int IntegrityTextBudget(Component secrecy) => LabelLimits.Default.MaxTextLength - 1 - secrecy.TextLength;

    // Reuses this instance when an operation changed nothing.
    private Label With(Component secrecy, Component integrity) =>
        ReferenceEquals(secrecy, Secrecy) && ReferenceEquals(integrity, Integrity) ? this : new Label(secrecy, integrity);
}

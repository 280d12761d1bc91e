using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace Faasten.Labels;

/// <summary>
/// A Buckle label <c>secrecy,integrity</c>. Both components are canonical, so equal labels compare,
/// hash and print equal. Flow checks allocate nothing.
/// </summary>
[JsonConverter(typeof(LabelJsonConverter))]
public sealed class Label : IEquatable<Label>
{
    private string? _text;

    public Label(Component secrecy, Component integrity)
    {
        ArgumentNullException.ThrowIfNull(secrecy);
        ArgumentNullException.ThrowIfNull(integrity);
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

    /// <summary>Least upper bound: <c>(a.S ∧ b.S, a.I ∨ b.I)</c>.</summary>
    public Label Lub(Label other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return With(Secrecy.And(other.Secrecy), Integrity.Or(other.Integrity));
    }

    /// <summary>Greatest lower bound: <c>(a.S ∨ b.S, a.I ∧ b.I)</c>.</summary>
    public Label Glb(Label other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return With(Secrecy.Or(other.Secrecy), Integrity.And(other.Integrity));
    }

    /// <summary>
    /// Declassifies and endorses with <paramref name="privilege"/>: secrecy drops every clause the
    /// privilege implies (all of them when it is F), integrity becomes <c>p ∧ I</c>. The result is
    /// ⊑_p-equivalent to this label and ⊑ it.
    /// </summary>
    public Label Downgrade(Component privilege)
    {
        ArgumentNullException.ThrowIfNull(privilege);
        return With(Secrecy.DropClausesImpliedBy(privilege), privilege.And(Integrity));
    }

    /// <summary>Integrity becomes <c>p ∧ I</c>; secrecy is unchanged.</summary>
    public Label Endorse(Component privilege)
    {
        ArgumentNullException.ThrowIfNull(privilege);
        return With(Secrecy, privilege.And(Integrity));
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

    // Reuses this instance when an operation changed nothing.
    private Label With(Component secrecy, Component integrity) =>
        ReferenceEquals(secrecy, Secrecy) && ReferenceEquals(integrity, Integrity) ? this : new Label(secrecy, integrity);
}

using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using static Faasten.Labels.Tests.LabelGenerators;

namespace Faasten.Labels.Tests;

public class LabelPropertyTests
{
    private static void Check2(Func<Label, Label, bool> property) =>
        Check.One(PropertyConfig, Prop.ForAll(AnyLabel, AnyLabel, property));

    private static void Check3(Func<Label, Label, Label, bool> property) =>
        Check.One(PropertyConfig, Prop.ForAll(AnyLabel, AnyLabel, AnyLabel, property));

    [Fact]
    public void CanFlowTo_IsReflexive() => Check.One(PropertyConfig, Prop.ForAll(AnyLabel, a => a.CanFlowTo(a)));

    [Fact]
    public void CanFlowTo_IsAntisymmetric() =>
        Check2((a, b) => !(a.CanFlowTo(b) && b.CanFlowTo(a)) || (a.Equals(b) && a.ToString() == b.ToString()));

    [Fact]
    public void CanFlowTo_IsTransitive() =>
        Check3((a, b, c) => !(a.CanFlowTo(b) && b.CanFlowTo(c)) || a.CanFlowTo(c));

    // Chains built with lub make the transitivity premise hold every time.
    [Fact]
    public void CanFlowTo_IsTransitiveAlongLubChains() =>
        Check3((a, b, c) =>
        {
            var ab = a.Lub(b);
            var abc = ab.Lub(c);
            return a.CanFlowTo(ab) && ab.CanFlowTo(abc) && a.CanFlowTo(abc);
        });

    [Fact]
    public void Lub_IsLeastUpperBound() =>
        Check3((a, b, c) =>
        {
            var lub = a.Lub(b);
            var bound = lub.Lub(c); // an upper bound of both, so the premise below holds here
            return a.CanFlowTo(lub) && b.CanFlowTo(lub)
                && (!(a.CanFlowTo(c) && b.CanFlowTo(c)) || lub.CanFlowTo(c))
                && lub.CanFlowTo(bound);
        });

    [Fact]
    public void Glb_IsGreatestLowerBound() =>
        Check3((a, b, c) =>
        {
            var glb = a.Glb(b);
            var bound = glb.Glb(c);
            return glb.CanFlowTo(a) && glb.CanFlowTo(b)
                && (!(c.CanFlowTo(a) && c.CanFlowTo(b)) || c.CanFlowTo(glb))
                && bound.CanFlowTo(glb);
        });

    [Fact]
    public void LubGlb_AreCommutativeAssociativeIdempotent() =>
        Check3((a, b, c) => a.Lub(b).Equals(b.Lub(a)) && a.Glb(b).Equals(b.Glb(a))
            && a.Lub(b).Lub(c).Equals(a.Lub(b.Lub(c))) && a.Glb(b).Glb(c).Equals(a.Glb(b.Glb(c)))
            && a.Lub(a).Equals(a) && a.Glb(a).Equals(a));

    [Fact]
    public void CanFlowTo_WithTruePrivilege_EqualsPlainFlow() =>
        Check2((a, b) => a.CanFlowTo(b, Component.True) == a.CanFlowTo(b));

    [Fact]
    public void CanFlowTo_WithFalsePrivilege_AlwaysHolds() => Check2((a, b) => a.CanFlowTo(b, Component.False));

    [Fact]
    public void CanFlowTo_WithPrivilege_MatchesDefinition() =>
        Check.One(PropertyConfig, Prop.ForAll(AnyLabel, AnyLabel, AnyComponent, (a, b, p) =>
            a.CanFlowTo(b, p) == (b.Secrecy.And(p).Implies(a.Secrecy) && a.Integrity.And(p).Implies(b.Integrity))
            && (!a.CanFlowTo(b) || a.CanFlowTo(b, p))));

    // downgrade(l, p) is ⊑_p-equivalent to l (both directions), lies below l, keeps l.S ∧ p, and
    // its secrecy keeps no clause the privilege implies.
    [Fact]
    public void Downgrade_IsPrivilegeEquivalentAndBelow() =>
        Check.One(PropertyConfig, Prop.ForAll(AnyLabel, AnyComponent, (l, p) =>
        {
            var d = l.Downgrade(p);
            return l.CanFlowTo(d, p) && d.CanFlowTo(l, p) && d.CanFlowTo(l)
                && d.Secrecy.And(p).Equals(l.Secrecy.And(p))
                && d.Integrity.Equals(p.And(l.Integrity))
                && d.Secrecy.Clauses.All(c => !p.Implies(Component.FromClause(c)))
                && (!p.IsFalse || d.Secrecy.IsTrue);
        }));

    [Fact]
    public void Endorse_ConjoinsPrivilegeIntoIntegrity() =>
        Check.One(PropertyConfig, Prop.ForAll(AnyLabel, AnyComponent, (l, p) =>
        {
            var e = l.Endorse(p);
            return e.Secrecy.Equals(l.Secrecy) && e.Integrity.Equals(p.And(l.Integrity)) && e.CanFlowTo(l);
        }));

    [Fact]
    public void PrintParse_RoundTrips() =>
        Check.One(PropertyConfig, Prop.ForAll(AnyLabel, l =>
        {
            var text = l.ToString();
            var parsed = Label.Parse(text);
            return parsed.Equals(l) && parsed.GetHashCode() == l.GetHashCode() && parsed.ToString() == text;
        }));

    [Fact]
    public void Json_RoundTrips() =>
        Check.One(PropertyConfig, Prop.ForAll(AnyLabel, l =>
        {
            var json = JsonSerializer.Serialize(l);
            return JsonSerializer.Deserialize<Label>(json)!.Equals(l)
                && JsonSerializer.Deserialize<Component>(JsonSerializer.Serialize(l.Secrecy))!.Equals(l.Secrecy);
        }));
}

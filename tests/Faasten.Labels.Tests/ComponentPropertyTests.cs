using FsCheck;
using FsCheck.Fluent;
using static Faasten.Labels.Tests.LabelGenerators;

namespace Faasten.Labels.Tests;

public class ComponentPropertyTests
{
    private static void Check3(Func<Component, Component, Component, bool> property) =>
        Check.One(PropertyConfig, Prop.ForAll(AnyComponent, AnyComponent, AnyComponent, property));

    private static void Check2(Func<Component, Component, bool> property) =>
        Check.One(PropertyConfig, Prop.ForAll(AnyComponent, AnyComponent, property));

    [Fact]
    public void Implies_IsReflexiveAndTransitive() =>
        Check3((x, y, z) => x.Implies(x) && (!(x.Implies(y) && y.Implies(z)) || x.Implies(z)));

    [Fact]
    public void Implies_Antisymmetric_EquivalentComponentsAreIdentical() =>
        Check2((x, y) => !(x.Implies(y) && y.Implies(x))
            || (x.Equals(y) && x.GetHashCode() == y.GetHashCode() && x.ToString() == y.ToString()));

    [Fact]
    public void AndOr_AreCommutative() =>
        Check2((x, y) => x.And(y).Equals(y.And(x)) && x.Or(y).Equals(y.Or(x)));

    [Fact]
    public void AndOr_AreAssociative() =>
        Check3((x, y, z) => x.And(y).And(z).Equals(x.And(y.And(z))) && x.Or(y).Or(z).Equals(x.Or(y.Or(z))));

    [Fact]
    public void AndOr_AreIdempotentAndAbsorb() =>
        Check2((x, y) => x.And(x).Equals(x) && x.Or(x).Equals(x)
            && x.And(x.Or(y)).Equals(x) && x.Or(x.And(y)).Equals(x));

    [Fact]
    public void And_IsGreatestLowerBoundOfImplication() =>
        Check3((x, y, z) => x.And(y).Implies(x) && x.And(y).Implies(y)
            && (!(z.Implies(x) && z.Implies(y)) || z.Implies(x.And(y))));

    [Fact]
    public void Or_IsLeastUpperBoundOfImplication() =>
        Check3((x, y, z) => x.Implies(x.Or(y)) && y.Implies(x.Or(y))
            && (!(x.Implies(z) && y.Implies(z)) || x.Or(y).Implies(z)));

    // Evaluating in random up-closed models shows ∨ is exact (no over-approximation) and ∧ too.
    [Fact]
    public void AndOr_MatchBooleanSemantics() =>
        Check.One(PropertyConfig, Prop.ForAll(AnyComponent, AnyComponent, AnyModel, (x, y, m) =>
            Holds(x.Or(y), m) == (Holds(x, m) || Holds(y, m)) && Holds(x.And(y), m) == (Holds(x, m) && Holds(y, m))));

    [Fact]
    public void Implies_IsSoundForBooleanSemantics() =>
        Check.One(PropertyConfig, Prop.ForAll(AnyComponent, AnyComponent, AnyModel, (x, y, m) =>
            !x.Implies(y) || !Holds(x, m) || Holds(y, m)));

    [Fact]
    public void Clauses_AreReducedAndSorted() =>
        Check.One(PropertyConfig, Prop.ForAll(AnyComponent, c =>
        {
            var clauses = c.Clauses;
            for (var i = 0; i < clauses.Count; i++)
            {
                if (i > 0 && clauses[i - 1].CompareTo(clauses[i]) >= 0)
                {
                    return false;
                }
                for (var j = 0; j < clauses.Count; j++)
                {
                    if (i != j && clauses[j].Implies(clauses[i]))
                    {
                        return false;
                    }
                }
            }
            return true;
        }));

    [Fact]
    public void FromClauses_IgnoresOrderAndDuplicates() =>
        Check.One(PropertyConfig, Prop.ForAll(AnyComponent, c =>
            c.IsFalse || Component.FromClauses(c.Clauses.Reverse().Concat(c.Clauses)).Equals(c)));

    [Fact]
    public void PrintParse_RoundTrips() =>
        Check.One(PropertyConfig, Prop.ForAll(AnyComponent, c =>
        {
            var parsed = Component.Parse(c.ToString());
            return parsed.Equals(c) && parsed.ToString() == c.ToString();
        }));
}

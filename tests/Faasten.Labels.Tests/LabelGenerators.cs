using FsCheck;
using FsCheck.Fluent;

namespace Faasten.Labels.Tests;

/// <summary>
/// Random labels over a small alphabet so that prefixes, shared principals and implications
/// between clauses are common, plus T/F components, keyword-named principals and tokens that
/// need escaping.
/// </summary>
internal static class LabelGenerators
{
    private static readonly string[] PlainTokens = ["a", "b", "c"];
    private static readonly string[] OddTokens = ["T", "F", "x,y", "p|q", "r&s", "u/v", @"w\z", "sp ace", "Tom"];

    public static Gen<string> TokenGen { get; } =
        Gen.Frequency((9, Gen.Elements(PlainTokens)), (1, Gen.Elements(OddTokens)));

    public static Gen<Principal> PrincipalGen { get; } =
        Gen.Frequency((5, Gen.Constant(1)), (4, Gen.Constant(2)), (1, Gen.Constant(3)))
            .SelectMany(n => Gen.ArrayOf(TokenGen, n))
            .Select(tokens => new Principal(tokens));

    public static Gen<Clause> ClauseGen { get; } =
        Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(PrincipalGen, n)).Select(ps => new Clause(ps));

    public static Gen<Component> ComponentGen { get; } = Gen.Frequency(
        (1, Gen.Constant(Component.True)),
        (1, Gen.Constant(Component.False)),
        (8, Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(ClauseGen, n)).Select(Component.FromClauses)));

    public static Gen<Label> LabelGen { get; } = Gen.Zip(ComponentGen, ComponentGen, (s, i) => new Label(s, i));

    /// <summary>An up-closed truth assignment: p holds iff some generator is a prefix of p.</summary>
    public static Gen<Principal[]> ModelGen { get; } = Gen.Choose(0, 4).SelectMany(n => Gen.ArrayOf(PrincipalGen, n));

    public static Arbitrary<Component> AnyComponent { get; } = Arb.From(ComponentGen);

    public static Arbitrary<Label> AnyLabel { get; } = Arb.From(LabelGen);

    public static Arbitrary<Principal[]> AnyModel { get; } = Arb.From(ModelGen);

    public static Config PropertyConfig { get; } = Config.QuickThrowOnFailure.WithMaxTest(1000);

    public static bool Holds(Component c, Principal[] model)
    {
        if (c.IsFalse)
        {
            return false;
        }
        foreach (var clause in c.Clauses)
        {
            if (!clause.Principals.Any(p => model.Any(g => g.IsPrefixOf(p))))
            {
                return false;
            }
        }
        return true;
    }
}

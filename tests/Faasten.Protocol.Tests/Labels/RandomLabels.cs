using Faasten.Labels;
using FsCheck;
using FsCheck.Fluent;

namespace Faasten.Protocol.Tests.Labels;

/// <summary>Random labels over a small alphabet, with T/F, hierarchies and odd tokens.</summary>
internal static class RandomLabels
{
    private static readonly Gen<string> Token =
        Gen.Frequency((8, Gen.Elements("a", "b", "c")), (2, Gen.Elements("T", "F", "x,y", @"w\z", "é ü")));

    private static readonly Gen<Principal> PrincipalGen =
        Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(Token, n)).Select(t => new Principal(t));

    private static readonly Gen<Component> ComponentGen = Gen.Frequency(
        (1, Gen.Constant(Component.True)),
        (1, Gen.Constant(Component.False)),
        (6, Gen.Choose(1, 4)
            .SelectMany(n => Gen.ArrayOf(Gen.Choose(1, 3).SelectMany(m => Gen.ArrayOf(PrincipalGen, m)), n))
            .Select(clauses => Component.FromClauses(clauses.Select(ps => new Clause(ps))))));

    public static Arbitrary<Label> AnyLabel { get; } = Arb.From(Gen.Zip(ComponentGen, ComponentGen, (s, i) => new Label(s, i)));

    public static Config PropertyConfig { get; } = Config.QuickThrowOnFailure.WithMaxTest(500);
}

using System.Text;
using FsCheck;
using FsCheck.Fluent;
using static Faasten.Labels.Tests.LabelGenerators;

namespace Faasten.Labels.Tests;

/// <summary>
/// Issue 12 item 7, as the attack: labels big enough to pin the CPU, at the parser and through
/// the lattice operations. No timing is asserted; the tests assert the refusal or the bound.
/// </summary>
public class LabelLimitsTests
{
    private static readonly LabelLimits Limits = LabelLimits.Default;

    // The red-team label: 20,000 clauses, about 149 KB.
    private static string HugeLabel() =>
        string.Join('&', Enumerable.Range(0, 20_000).Select(i => $"user{i}")) + ",T";

    private static Component Conjunction(string prefix, int clauses, int principals = 1) =>
        Component.FromClauses(Enumerable.Range(0, clauses)
            .Select(i => new Clause(Enumerable.Range(0, principals).Select(j => new Principal($"{prefix}{i}", $"p{j}")))));

    [Fact]
    public void Parse_149KbLabelOf20000Clauses_IsRefusedNamingTheTextLimit()
    {
        var text = HugeLabel();
        Assert.True(text.Length > 140_000);

        var ex = Assert.Throws<LabelFormatException>(() => Label.Parse(text));

        Assert.Contains("LabelLimits.MaxTextLength", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"{text.Length} characters", ex.Message, StringComparison.Ordinal);
        Assert.False(Label.TryParse(text, out _, out var error));
        Assert.Equal(ex.Message, error.Message);
        Assert.False(Component.TryParse(text[..^2], out _, out _));
    }

    [Theory]
    [InlineData("clauses", "LabelLimits.MaxClauses")]
    [InlineData("principals", "LabelLimits.MaxPrincipals")]
    [InlineData("tokens", "LabelLimits.MaxTokens")]
    [InlineData("token", "LabelLimits.MaxTokenLength")]
    public void Parse_ShortTextOverAStructuralLimit_IsRefusedNamingTheLimit(string shape, string limit)
    {
        // Short enough for the text limit, and repetitive, so that reduction would shrink it:
        // the limits count what is written, before any reduction runs.
        var text = shape switch
        {
            "clauses" => string.Join('&', Enumerable.Repeat("a", Limits.MaxClauses + 1)),
            "principals" => string.Join('|', Enumerable.Repeat("a", Limits.MaxPrincipals + 1)),
            "tokens" => string.Join('/', Enumerable.Repeat("a", Limits.MaxTokens + 1)),
            _ => new string('a', Limits.MaxTokenLength + 1),
        };

        var ex = Assert.Throws<LabelFormatException>(() => Label.Parse(text + ",T"));

        Assert.Contains(limit, ex.Message, StringComparison.Ordinal);
        Assert.Contains(limit, Assert.Throws<LabelFormatException>(() => Component.Parse(text)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AtEveryLimit_Accepts()
    {
        var clauses = string.Join('&', Enumerable.Range(0, Limits.MaxClauses).Select(i => $"u{i}"));
        var principals = string.Join('|', Enumerable.Range(0, Limits.MaxPrincipals).Select(i => $"u{i}"));
        var tokens = string.Join('/', Enumerable.Range(0, Limits.MaxTokens).Select(i => $"t{i}"));
        var token = new string('a', Limits.MaxTokenLength);

        Assert.Equal(Limits.MaxClauses, Component.Parse(clauses).Clauses.Count);
        Assert.Equal(Limits.MaxPrincipals, Clause.Parse(principals).Principals.Count);
        Assert.Equal(Limits.MaxTokens, Principal.Parse(tokens).Tokens.Count);
        Assert.Equal(token, Principal.Parse(token).Tokens[0]);
    }

    [Fact]
    public void Constructors_OverALimit_ThrowLabelTooLarge()
    {
        Assert.Equal("MaxTokens", Assert.Throws<LabelTooLargeException>(() => new Principal([.. Enumerable.Repeat("a", Limits.MaxTokens + 1)])).Limit);
        Assert.Equal("MaxTokenLength", Assert.Throws<LabelTooLargeException>(() => new Principal(new string('a', Limits.MaxTokenLength + 1))).Limit);
        var deep = new Principal([.. Enumerable.Repeat("a", Limits.MaxTokens)]);
        Assert.Equal("MaxTokens", Assert.Throws<LabelTooLargeException>(() => deep.Child("b")).Limit);
        Assert.Equal("MaxPrincipals", Assert.Throws<LabelTooLargeException>(() => new Clause(Enumerable.Range(0, Limits.MaxPrincipals + 1).Select(i => new Principal($"u{i}")))).Limit);
        // Counted before the (quadratic) reduction, even though these would reduce to one clause.
        var many = Enumerable.Repeat(new Clause(new Principal("a")), 100_000);
        Assert.Equal("MaxClauses", Assert.Throws<LabelTooLargeException>(() => Component.FromClauses(many)).Limit);
    }

    [Fact]
    public void Lub_SecrecyOverflowingTheClauseLimit_ThrowsAndChangesNothing()
    {
        var half = Limits.MaxClauses / 2 + 1;
        var a = new Label(Conjunction("alice", half), Component.True);
        var b = new Label(Conjunction("bob", half), Component.True);

        var ex = Assert.Throws<LabelTooLargeException>(() => a.Lub(b));

        Assert.Equal("MaxClauses", ex.Limit);
        Assert.Contains("LabelLimits.MaxClauses", ex.Message, StringComparison.Ordinal);
        Assert.Equal(half, a.Secrecy.Clauses.Count);
        Assert.Throws<LabelTooLargeException>(() => a.Secrecy.And(b.Secrecy));
    }

    [Fact]
    public void Lub_SecrecyOverflowingTheTextLimit_Throws()
    {
        // Few clauses, long tokens: the text limit is what overflows.
        static Component Long(char c) => Component.FromClauses(Enumerable.Range(0, 25)
            .Select(i => new Clause(new Principal(c + new string('x', 200) + i))));
        var a = new Label(Long('a'), Component.True);
        var b = new Label(Long('b'), Component.True);

        Assert.Equal("MaxTextLength", Assert.Throws<LabelTooLargeException>(() => a.Lub(b)).Limit);
    }

    [Fact]
    public void Lub_ThreeDirectoriesOf30ClauseIntegrities_IsBoundedSoundAndReparses()
    {
        // The red-team path: exact ∨ of three 30-clause integrities has 27,000 clauses.
        var dirs = new[] { "x", "y", "z" }.Select(p => new Label(Component.True, Conjunction(p, 30, principals: 2))).ToArray();

        var label = Label.Public.Lub(dirs[0]).Lub(dirs[1]).Lub(dirs[2]);

        Assert.InRange(label.Integrity.Clauses.Count, 0, Limits.MaxClauses);
        Assert.All(label.Integrity.Clauses, c => Assert.InRange(c.Principals.Count, 1, Limits.MaxPrincipals));
        Assert.All(dirs, d => Assert.True(d.CanFlowTo(label), $"{d} does not flow to the lub"));
        var text = label.ToString();
        Assert.InRange(text.Length, 1, Limits.MaxTextLength);
        Assert.Equal(label, Label.Parse(text));
    }

    [Fact]
    public void Or_ExactBeyondTheMergeBudget_ThrowsButGlbAndLubStayUsable()
    {
        var x = Conjunction("x", 20);
        var y = Conjunction("y", 20);

        Assert.Equal("MaxClauseMerges", Assert.Throws<LabelTooLargeException>(() => x.Or(y)).Limit);
        Assert.Equal("MaxClauseMerges", Assert.Throws<LabelTooLargeException>(() => new Label(x, Component.True).Glb(new Label(y, Component.True))).Limit);
        var lub = new Label(Component.True, x).Lub(new Label(Component.True, y));
        Assert.True(x.Implies(lub.Integrity) && y.Implies(lub.Integrity));
    }

    [Fact]
    public void Endorse_IntegrityOverflow_IsWeakenedToAComponentTheExactOneImplies()
    {
        var integrity = Conjunction("old", Limits.MaxClauses - 4);
        var privilege = Conjunction("new", 10);
        var label = new Label(Component.Parse("alice"), integrity);

        var endorsed = label.Endorse(privilege);
        var downgraded = label.Downgrade(privilege);

        Assert.Equal(label.Secrecy, endorsed.Secrecy);
        Assert.InRange(endorsed.Integrity.Clauses.Count, 1, Limits.MaxClauses);
        Assert.True(ExactConjunctionImplies(privilege, integrity, endorsed.Integrity));
        Assert.True(ExactConjunctionImplies(privilege, integrity, downgraded.Integrity));
        Assert.Equal(endorsed, Label.Parse(endorsed.ToString()));
    }

    // Weakened ∨ on operands past the merge budget but small enough to check against the exact
    // distribution: the result is implied by every merged pair's conjunction (so it is ⊒ exact in
    // the lattice), holds in every model where either side holds, and is commutative.
    [Fact]
    public void Lub_PastTheMergeBudget_IntegrityIsImpliedByTheExactOr() =>
        Check.One(PropertyConfig.WithMaxTest(200), Prop.ForAll(AnyLargeComponent, AnyLargeComponent, AnyModel, (x, y, m) =>
        {
            var lub = new Label(Component.True, x).Lub(new Label(Component.True, y));
            var exactPairs = x.Clauses.SelectMany(c => y.Clauses.Select(d => Component.FromClause(c).Or(Component.FromClause(d)))).ToList();
            var impliedByExact = lub.Integrity.Clauses.All(r => exactPairs.Any(p => p.Clauses.Any(pc => pc.Implies(r))));
            var semantic = !(Holds(x, m) || Holds(y, m)) || Holds(lub.Integrity, m);
            var commutative = lub.Equals(new Label(Component.True, y).Lub(new Label(Component.True, x)));
            return impliedByExact && semantic && commutative
                && x.Implies(lub.Integrity) && y.Implies(lub.Integrity)
                && Label.Parse(lub.ToString()).Equals(lub);
        }));

    // Many distinct first tokens, so that few clauses reduce away and |x|·|y| passes the budget.
    private static readonly Gen<Principal> WidePrincipalGen =
        Gen.Zip(Gen.Choose(0, 29), Gen.Elements("", "a", "b"), (i, t) => t.Length == 0 ? new Principal($"u{i}") : new Principal($"u{i}", t));

    private static Arbitrary<Component> AnyLargeComponent { get; } = Arb.From(
        Gen.Choose(17, 40)
            .SelectMany(n => Gen.ArrayOf(Gen.Choose(1, 3).SelectMany(k => Gen.ArrayOf(WidePrincipalGen, k)).Select(ps => new Clause(ps)), n))
            .Select(Component.FromClauses));

    // (p ∧ i) ⇒ r: every clause of r is implied by a clause of p or of i.
    private static bool ExactConjunctionImplies(Component p, Component i, Component r) =>
        r.Clauses.All(c => p.Clauses.Concat(i.Clauses).Any(d => d.Implies(c)));
}

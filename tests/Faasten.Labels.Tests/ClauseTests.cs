namespace Faasten.Labels.Tests;

public class ClauseTests
{
    [Theory]
    [InlineData("b|a", "a|b")]
    [InlineData("a|a", "a")]
    [InlineData("alice|alice/pma", "alice/pma")]
    [InlineData("alice/pma|alice|alice/pma/thumb|bob", "alice/pma/thumb|bob")]
    [InlineData("alice/pma|alice/x|alice", "alice/pma|alice/x")]
    public void Parse_ReducesToMaximalPrincipals(string text, string canonical) =>
        Assert.Equal(canonical, Clause.Parse(text).ToString());

    [Fact]
    public void Constructor_EquivalentClausesAreEqual()
    {
        var a = new Clause(Principal.Parse("alice"), Principal.Parse("alice/pma"), Principal.Parse("bob"));
        var b = new Clause(new[] { Principal.Parse("bob"), Principal.Parse("alice/pma") }.AsEnumerable());
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void Constructor_Empty_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Clause());
        Assert.Throws<ArgumentException>(() => new Clause(Enumerable.Empty<Principal>()));
        Assert.Throws<ArgumentException>(() => new Clause((Principal)null!));
    }

    [Theory]
    [InlineData("alice", "alice", true)]
    [InlineData("alice", "alice/pma", true)]
    [InlineData("alice/pma", "alice", false)]
    [InlineData("alice", "alice|bob", true)]
    [InlineData("alice|bob", "alice", false)]
    [InlineData("alice|bob", "alice/pma|bob/x|carol", true)]
    [InlineData("alice|bob", "alice/pma|carol", false)]
    [InlineData("a/b|a/c", "a/b/c", false)]
    [InlineData("a/b|a/c", "a/b/x|a/c/y", true)]
    public void Implies_PrefixSemantics(string a, string b, bool expected) =>
        Assert.Equal(expected, Clause.Parse(a).Implies(Clause.Parse(b)));
}

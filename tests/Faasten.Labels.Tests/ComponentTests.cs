namespace Faasten.Labels.Tests;

public class ComponentTests
{
    private static Component C(string text) => Component.Parse(text);

    [Fact]
    public void TrueAndFalse()
    {
        Assert.True(Component.True.IsTrue);
        Assert.False(Component.True.IsFalse);
        Assert.True(Component.False.IsFalse);
        Assert.False(Component.False.IsTrue);
        Assert.Empty(Component.True.Clauses);
        Assert.Empty(Component.False.Clauses);
        Assert.NotEqual(Component.True, Component.False);
        Assert.Equal(Component.True, Component.FromClauses([]));
        Assert.Same(Component.True, C("T"));
        Assert.Same(Component.False, C(" F "));
    }

    [Theory]
    [InlineData("F", "F", true)]
    [InlineData("F", "T", true)]
    [InlineData("F", "alice", true)]
    [InlineData("T", "F", false)]
    [InlineData("T", "T", true)]
    [InlineData("T", "alice", false)]
    [InlineData("alice", "F", false)]
    [InlineData("alice", "T", true)]
    [InlineData("alice", "alice/pma", true)]
    [InlineData("alice/pma", "alice", false)]
    [InlineData("alice&bob", "alice", true)]
    [InlineData("alice", "alice&bob", false)]
    [InlineData("alice&bob", "alice/x&bob/y|z", true)]
    [InlineData("alice|bob", "alice&bob", false)]
    [InlineData("alice&bob", "alice|bob", true)]
    public void Implies_Cases(string x, string y, bool expected) => Assert.Equal(expected, C(x).Implies(C(y)));

    [Theory]
    [InlineData("T", "T", "T")]
    [InlineData("T", "F", "F")]
    [InlineData("F", "alice", "F")]
    [InlineData("alice", "F", "F")]
    [InlineData("T", "alice", "alice")]
    [InlineData("alice", "T", "alice")]
    [InlineData("bob", "alice", "alice&bob")]
    [InlineData("alice", "alice/pma", "alice")]
    [InlineData("alice|bob", "alice", "alice")]
    [InlineData("alice|bob&carol", "dave|carol", "alice|bob&carol")]
    public void And_Cases(string x, string y, string expected)
    {
        Assert.Equal(expected, C(x).And(C(y)).ToString());
        Assert.Equal(expected, C(y).And(C(x)).ToString());
    }

    [Theory]
    [InlineData("T", "T", "T")]
    [InlineData("T", "F", "T")]
    [InlineData("F", "F", "F")]
    [InlineData("F", "alice", "alice")]
    [InlineData("T", "alice", "T")]
    [InlineData("alice", "bob", "alice|bob")]
    [InlineData("alice", "alice/pma", "alice/pma")]
    // Exact distribution with multi-clause operands on both sides.
    [InlineData("a&b", "c&d", "a|c&a|d&b|c&b|d")]
    [InlineData("a&b&c", "d&e", "a|d&a|e&b|d&b|e&c|d&c|e")]
    // Merged clauses implied by others are reduced away: (alice ∧ bob) ⇒ alice/pma.
    [InlineData("alice&bob", "alice/pma", "alice/pma")]
    [InlineData("a&b", "a|c&b|d", "a|c&b|d")]
    [InlineData("a&b", "a/x&c", "a|c&a/x&b|c")]
    public void Or_Cases(string x, string y, string expected)
    {
        Assert.Equal(expected, C(x).Or(C(y)).ToString());
        Assert.Equal(expected, C(y).Or(C(x)).ToString());
    }

    [Fact]
    public void FromClauses_RemovesImpliedClausesAndSorts()
    {
        var c = Component.FromClauses([Clause.Parse("bob|carol"), Clause.Parse("zed"), Clause.Parse("bob"), Clause.Parse("zed")]);
        Assert.Equal("bob&zed", c.ToString());
        Assert.Equal(c, C("zed & bob"));
        Assert.Equal(c.GetHashCode(), C("zed&bob|x&bob").GetHashCode());
    }

    [Fact]
    public void FromPrincipal_SingleClause()
    {
        var c = Component.FromPrincipal(Principal.Parse("alice/pma"));
        Assert.Equal("alice/pma", c.ToString());
        Assert.Single(c.Clauses);
    }

    [Theory]
    [InlineData("T", "T")]
    [InlineData("F", "F")]
    [InlineData(@"\T", @"\T")]
    [InlineData(@"\F", @"\F")]
    [InlineData("T|F", "F|T")]
    [InlineData("T&F", "F&T")]
    [InlineData("T/T", "T/T")]
    [InlineData("Tom", "Tom")]
    [InlineData(@"a\&b", @"a\&b")]
    [InlineData("a\\\tb", "a\\\tb")]
    public void Parse_KeywordsOnlyAsWholeComponent(string text, string printed)
    {
        var c = C(text);
        Assert.Equal(printed, c.ToString());
        Assert.Equal(c, C(c.ToString()));
    }

    [Fact]
    public void Parse_EscapedKeywordIsPrincipal()
    {
        var c = C(@"\T");
        Assert.False(c.IsTrue);
        Assert.Equal("T", Assert.Single(Assert.Single(c.Clauses).Principals).ToString());
    }

    [Theory]
    [InlineData("", 0, "a component (T, F or a principal)")]
    [InlineData("  ", 2, "a component (T, F or a principal)")]
    [InlineData("a||b", 2, "a principal token")]
    [InlineData("a&&b", 2, "a principal token")]
    [InlineData("a//b", 2, "a principal token")]
    [InlineData("a|", 2, "a principal token")]
    [InlineData("a\\", 2, "a character after '\\'")]
    [InlineData("a,b", 1, "'/', '|', '&' or end of input")]
    [InlineData("T,", 1, "end of input")]
    [InlineData("T x", 2, "'/', '|', '&' or end of input")]
    public void TryParse_Malformed_ReportsOffsetAndExpected(string text, int offset, string expected)
    {
        Assert.False(Component.TryParse(text, out var c, out var error));
        Assert.Null(c);
        Assert.Equal(offset, error.Offset);
        Assert.Equal(expected, error.Expected);
        Assert.Contains($"offset {offset}", error.Message, StringComparison.Ordinal);
    }
}

namespace Faasten.Labels.Tests;

public class PrincipalTests
{
    [Fact]
    public void Constructor_EmptyOrBlankTokens_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Principal());
        Assert.Throws<ArgumentException>(() => new Principal("alice", ""));
        Assert.Throws<ArgumentException>(() => new Principal("alice", null!));
    }

    [Fact]
    public void Constructor_CopiesTokens()
    {
        var tokens = new[] { "alice", "pma" };
        var p = new Principal(tokens);
        tokens[0] = "mallory";
        Assert.Equal(["alice", "pma"], p.Tokens);
    }

    [Fact]
    public void IsPrefixOf_FollowsHierarchy()
    {
        var alice = new Principal("alice");
        var pma = alice.Child("pma");
        var thumb = pma.Child("thumb");
        Assert.True(alice.IsPrefixOf(alice));
        Assert.True(alice.IsPrefixOf(pma));
        Assert.True(alice.IsPrefixOf(thumb));
        Assert.True(pma.IsPrefixOf(thumb));
        Assert.False(pma.IsPrefixOf(alice));
        Assert.False(new Principal("ali").IsPrefixOf(alice));
        Assert.False(new Principal("alice", "pm").IsPrefixOf(pma));
        Assert.False(new Principal("bob").IsPrefixOf(new Principal("bob2")));
    }

    [Fact]
    public void Child_EmptyToken_Throws() => Assert.Throws<ArgumentException>(() => new Principal("a").Child(""));

    [Fact]
    public void Equality_ByTokens()
    {
        var a = new Principal("alice", "pma");
        var b = Principal.Parse("alice/pma");
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, new Principal("alice"));
        Assert.NotEqual(new Principal("a/b"), new Principal("a", "b"));
    }

    [Fact]
    public void CompareTo_PrefixFirstThenTokenwiseOrdinal()
    {
        var sorted = new[] { "a", "a/b", "a/b/c", "a/c", "a0", "b", "B" }.Select(Principal.Parse).ToList();
        var shuffled = sorted.AsEnumerable().Reverse().ToList();
        shuffled.Sort();
        Assert.Equal(["B", "a", "a/b", "a/b/c", "a/c", "a0", "b"], shuffled.Select(p => p.ToString()));
    }

    [Theory]
    [InlineData("alice/pma", new[] { "alice", "pma" })]
    [InlineData(@"a\/b/c", new[] { "a/b", "c" })]
    [InlineData(@"a\,\|\&\\", new[] { @"a,|&\" })]
    [InlineData(@"x\ y", new[] { "x y" })]
    [InlineData("T", new[] { "T" })]
    [InlineData(" alice / pma ", new[] { "alice", "pma" })]
    public void Parse_Escapes(string text, string[] tokens) => Assert.Equal(tokens, Principal.Parse(text).Tokens);

    [Fact]
    public void ToString_EscapesAndRoundTrips()
    {
        var p = new Principal("a/b", "c,d", "e|f&g", @"h\i", "j k", "T");
        Assert.Equal(@"a\/b/c\,d/e\|f\&g/h\\i/j\ k/T", p.ToString());
        Assert.Equal(p, Principal.Parse(p.ToString()));
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("a/", 2)]
    [InlineData("a|b", 1)]
    [InlineData(@"a\", 2)]
    [InlineData("a b", 2)]
    public void Parse_Malformed_ReportsOffset(string text, int offset)
    {
        var error = Assert.Throws<LabelFormatException>(() => Principal.Parse(text));
        Assert.Equal(offset, error.Offset);
    }
}

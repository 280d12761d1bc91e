using Faasten.Fs.Paths;
using Faasten.Labels;

namespace Faasten.Fs.Tests.Paths;

public sealed class FsPathTests
{
    [Theory]
    [InlineData("")]
    [InlineData(":")]
    public void EmptyOrColon_IsTheRoot(string text) => Assert.True(FsPath.Parse(text).IsRoot);

    [Fact]
    public void Components_AreNamesFacetsAndSymbols()
    {
        var path = FsPath.Parse("~:photos:<alice/pma|bob,alice>:%:x");
        Assert.Equal(
            [PathComponentKind.Home, PathComponentKind.Name, PathComponentKind.Facet, PathComponentKind.CurrentFacet, PathComponentKind.Name],
            path.Components.Select(c => c.Kind));
        Assert.Equal(Label.Parse("alice/pma|bob,alice"), path.Components[2].Facet);
        Assert.Equal("x", path.Last.Name);
        Assert.Equal(4, path.Parent.Components.Count);
    }

    [Fact]
    public void LeadingColon_NamesTheRootExplicitly() =>
        Assert.Equal("home", FsPath.Parse(":home").Components.Single().Name);

    [Theory]
    [InlineData("a::b", "empty path component at offset 2")]
    [InlineData("a:", "empty path component at offset 2")]
    [InlineData("a:~", "'~' may only start a path")]
    [InlineData("home:<alice,alice", "unterminated facet")]
    [InlineData("home:<alice,,>", "bad facet label")]
    [InlineData("a\u0001b", "control character")]
    public void MalformedPaths_AreRejectedWithTheReason(string text, string reason)
    {
        Assert.False(FsPath.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void OverlongInput_IsRejected()
    {
        Assert.False(FsPath.TryParse(new string('a', FsPath.MaxLength + 1), out _, out var error));
        Assert.Contains("longer", error, StringComparison.Ordinal);
        Assert.False(FsPath.TryParse(new string('a', FsPath.MaxNameLength + 1), out _, out _));
        Assert.False(FsPath.TryParse(null, out _, out _));
    }

    [Fact]
    public void Printing_RoundTrips()
    {
        foreach (var text in new[] { "~:a:<alice,T>:%", "home:<T,bob>:x" })
        {
            Assert.Equal(FsPath.Parse(text).ToString(), FsPath.Parse(FsPath.Parse(text).ToString()).ToString());
        }
    }
}

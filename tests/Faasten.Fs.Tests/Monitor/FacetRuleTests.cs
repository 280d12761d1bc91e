using static Faasten.Fs.Tests.Monitor.FsHarness;

namespace Faasten.Fs.Tests.Monitor;

/// <summary>Rule 5 and faceted listing: every facet exists; listing shows only facets under the clearance.</summary>
public sealed class FacetRuleTests : IAsyncLifetime
{
    private FsHarness _h = null!;

    public async Task InitializeAsync() => _h = await FsHarness.CreateAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task NeverWrittenFacet_ReadsAsEmptyDirectoryWithItsLabel()
    {
        var ctx = As("bob");
        var list = await _h.Fs.ListAsync(ctx, "home:<carol,carol>");

        Assert.True(list.IsOk);
        Assert.Empty(list.Value!);
        Assert.Equal("carol", ctx.Label.Secrecy.ToString());
    }

    [Fact]
    public async Task NeverWrittenFacet_LooksExactlyLikeAnEmptyWrittenOne()
    {
        Assert.True((await _h.Fs.CreateFileAsync(As("alice"), "~:tmp", L("alice,alice"))).IsOk);
        Assert.True((await _h.Fs.DeleteAsync(As("alice"), "~:tmp")).IsOk);

        var (written, unwritten) = (As("bob"), As("bob"));
        var a = await _h.Fs.ListAsync(written, "home:<alice,alice>");
        var b = await _h.Fs.ListAsync(unwritten, "home:<alice&bob,alice>");
        var stat = await _h.Fs.StatAsync(As("bob"), "home:<alice&bob,alice>");

        Assert.Equal(a.Status, b.Status);
        Assert.Empty(a.Value!);
        Assert.Empty(b.Value!);
        Assert.Equal(L("alice&bob,alice"), stat.Value.Label);
        Assert.Equal(FsStatus.NotFound, (await _h.Fs.ReadFileAsync(As("bob"), "home:<alice&bob,alice>:tmp")).Status);
    }

    [Fact]
    public async Task FirstWriteToAFacet_IsGuardedByItsLabel_AndMaterializesIt()
    {
        Assert.Equal(FsStatus.LabelDenied, (await _h.Fs.CreateFileAsync(As("bob"), "home:<carol,carol>:x", L("carol,carol"))).Status);
        var listing = As("F");
        Assert.DoesNotContain(L("carol,carol"), (await _h.Fs.ListFacetsAsync(listing, "home", L("F,T"))).Value!);

        Assert.True((await _h.Fs.CreateFileAsync(As("carol"), "~:x", L("carol,carol"))).IsOk);

        Assert.Contains(L("carol,carol"), (await _h.Fs.ListFacetsAsync(As("F"), "home", L("F,T"))).Value!);
        Assert.True((await _h.Fs.ReadFileAsync(As("carol"), "home:<carol,carol>:x")).IsOk);
    }

    [Fact]
    public async Task FacetedList_ShowsOnlyFacetsUnderTheClearance_AndTaintsWithIt()
    {
        var ctx = As("bob");
        var list = await _h.Fs.ListFacetsAsync(ctx, "home", L("bob,T"));

        Assert.True(list.IsOk);
        Assert.Contains(L("bob,bob"), list.Value!);
        Assert.Contains(L("T,alice"), list.Value!);
        Assert.Contains(L("T,bob"), list.Value!);
        Assert.DoesNotContain(L("alice,alice"), list.Value!);
        Assert.All(list.Value!, f => Assert.True(f.CanFlowTo(L("bob,T"))));
        Assert.Equal(L("bob,T"), ctx.Label);
    }

    [Fact]
    public async Task FacetedList_DefaultClearanceIsTheCurrentLabel()
    {
        var list = await _h.Fs.ListFacetsAsync(As("T"), "home");
        Assert.Equal([L("T,alice"), L("T,bob")], list.Value!.OrderBy(l => l.ToString(), StringComparer.Ordinal));
    }

    [Fact]
    public async Task CurrentFacet_SelectsTheFacetOfTheCurrentLabel()
    {
        var ctx = As("alice", "alice,T");
        Assert.True((await _h.Fs.CreateFacetedDirectoryAsync(Super(), "inbox")).IsOk);

        Assert.True((await _h.Fs.CreateFileAsync(ctx, "inbox:%:note", null, "hi"u8.ToArray())).IsOk);

        Assert.Equal("hi"u8.ToArray(), (await _h.Fs.ReadFileAsync(As("alice"), "inbox:<alice,T>:note")).Value);
    }

    [Fact]
    public async Task NameInsideAFacetedDirectory_IsNotADirectoryError()
    {
        var result = await _h.Fs.ListAsync(As("alice"), "home:alice");
        Assert.Equal(FsStatus.NotADirectory, result.Status);
        Assert.Contains("facet", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConcurrentFirstWritesToOneFacet_AllLandInOneDirectory()
    {
        var tasks = Enumerable.Range(0, 16).Select(i => _h.Fs.CreateFileAsync(As("dave"), $"~:f{i}", L("dave,dave")).AsTask());
        var results = await Task.WhenAll(tasks);

        Assert.All(results, r => Assert.True(r.IsOk, r.ToString()));
        Assert.Equal(16, (await _h.Fs.ListAsync(As("dave"), "~")).Value!.Count);
    }
}

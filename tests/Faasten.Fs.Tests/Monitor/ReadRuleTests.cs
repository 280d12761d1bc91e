using static Faasten.Fs.Tests.Monitor.FsHarness;

namespace Faasten.Fs.Tests.Monitor;

/// <summary>Rule 1: reading an object, or traversing a directory, raises the current label.</summary>
public sealed class ReadRuleTests : IAsyncLifetime
{
    private FsHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await FsHarness.CreateAsync();
        var alice = As("alice");
        Assert.True((await _h.Fs.CreateDirectoryAsync(alice, "~:photos", L("alice,alice"))).IsOk);
        Assert.True((await _h.Fs.CreateFileAsync(alice, "~:photos:secret", L("alice,alice"), "meet at noon"u8.ToArray())).IsOk);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task ReadFile_OfAlicePrivateData_TaintsReaderWithAlice()
    {
        var bob = As("bob");
        var read = await _h.Fs.ReadFileAsync(bob, "home:<alice,alice>:photos:secret");

        Assert.True(read.IsOk);
        Assert.Equal("meet at noon"u8.ToArray(), read.Value);
        Assert.True(L("alice,T").CanFlowTo(bob.Label));
        Assert.False(bob.Label.CanFlowTo(Faasten.Labels.Label.Public));
    }

    [Fact]
    public async Task Lookup_OfMissingName_StillTaintsWithTheDirectory()
    {
        var bob = As("bob");
        var read = await _h.Fs.ReadFileAsync(bob, "home:<alice,alice>:photos:nothing-here");

        Assert.Equal(FsStatus.NotFound, read.Status);
        Assert.Equal("alice", bob.Label.Secrecy.ToString());
    }

    [Fact]
    public async Task List_TaintsWithTheListedDirectory()
    {
        var ctx = As("T");
        var list = await _h.Fs.ListAsync(ctx, "home:<alice,alice>:photos");

        Assert.True(list.IsOk);
        Assert.Equal(["secret"], list.Value!.Select(e => e.Name));
        Assert.Equal(L("alice,T"), ctx.Label);
    }

    [Fact]
    public async Task Stat_DoesNotTaintWithTheObjectItself()
    {
        var ctx = As("T");
        Assert.True((await _h.Fs.CreateFileAsync(As("alice"), "home:<T,alice>:readme", L("alice,alice"))).IsOk);

        var stat = await _h.Fs.StatAsync(ctx, "home:<T,alice>:readme");

        Assert.True(stat.IsOk);
        Assert.Equal(L("alice,alice"), stat.Value.Label);
        Assert.Equal(L("T,T"), ctx.Label);
    }

    [Fact]
    public async Task OpenBlob_TaintsWithTheBlobEntryLabel()
    {
        var hash = await _h.PutBlobAsync([1, 2, 3]);
        Assert.True((await _h.Fs.LinkBlobAsync(As("alice"), "~:photos:raw", hash, L("alice,alice"))).IsOk);
        var ctx = As("T");

        var blob = await _h.Fs.OpenBlobAsync(ctx, "home:<alice,alice>:photos:raw");

        Assert.True(blob.IsOk);
        Assert.Equal(hash, blob.Value.Hash);
        Assert.Equal(3, blob.Value.Length);
        Assert.Equal("alice", ctx.Label.Secrecy.ToString());
    }

    [Fact]
    public async Task ReadFile_OnADirectory_IsWrongKind()
    {
        var result = await _h.Fs.ReadFileAsync(As("alice"), "~:photos");
        Assert.Equal(FsStatus.WrongKind, result.Status);
    }
}

using System.Text;
using Faasten.Fs.Storage;
using Faasten.Tests.Common;
using Faasten.Tests.Common.Storage;

namespace Faasten.Fs.Tests.Storage;

/// <summary>The blob-store conformance tests on a local directory, plus what is particular to files: the layout and temp files.</summary>
public sealed class LocalBlobStoreTests : BlobStoreConformanceTests, IDisposable
{
    private readonly TempDirectory _root = new("faasten-blobs");
    private LocalBlobStore? _store;

    protected override IBlobStore Store => _store ??= new LocalBlobStore(_root.Path);

    [Fact]
    public async Task Commit_SameContentTwice_LeavesOneFileAndNoTemps()
    {
        var data = Encoding.UTF8.GetBytes("same bytes");

        await WriteAsync(Store, data);
        await WriteAsync(Store, data);

        Assert.Single(BlobFiles());
        Assert.Empty(Directory.GetFiles(_root.Combine("tmp")));
    }

    [Fact]
    public async Task Layout_IsTwoHexCharacterFanOut()
    {
        var hash = await WriteAsync(Store, [1, 2, 3]);

        Assert.True(File.Exists(_root.Combine(hash[..2], hash)));
    }

    [Fact]
    public async Task Dispose_WithoutCommit_LeavesNoTempFile()
    {
        await using (var writer = Store.BeginWrite())
        {
            await writer.WriteAsync(new byte[100_000]);
        }

        Assert.Empty(BlobFiles());
        Assert.Empty(Directory.GetFiles(_root.Combine("tmp")));
    }

    [Fact]
    public async Task Open_RemovesStaleTempsButNotALiveWritersTemp()
    {
        var store = Store;
        await File.WriteAllBytesAsync(_root.Combine("tmp", "stale.tmp"), new byte[10]);
        await using var live = store.BeginWrite();
        await live.WriteAsync(Encoding.UTF8.GetBytes("still being written"));

        _ = new LocalBlobStore(_root.Path);

        Assert.False(File.Exists(_root.Combine("tmp", "stale.tmp")));
        var hash = await live.CommitAsync();
        Assert.Equal("still being written", Encoding.UTF8.GetString(await ReadAllAsync(store, hash)));
    }

    public void Dispose() => _root.Dispose();

    private string[] BlobFiles() =>
        Directory.GetDirectories(_root.Path)
            .Where(d => Path.GetFileName(d) != "tmp")
            .SelectMany(Directory.GetFiles)
            .ToArray();
}

using System.Security.Cryptography;
using System.Text;
using Faasten.Fs.Storage;
using Faasten.Tests.Common;

namespace Faasten.Fs.Tests.Storage;

public sealed class LocalBlobStoreTests : IDisposable
{
    private const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private readonly TempDirectory _root = new("faasten-blobs");

    [Fact]
    public async Task Commit_SmallBlob_ReturnsSha256AndReadsBack()
    {
        var store = new LocalBlobStore(_root.Path);
        var data = Encoding.UTF8.GetBytes("hello, blob");

        var hash = await WriteAsync(store, data);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), hash);
        Assert.Equal(data, await ReadAllAsync(store, hash));
        Assert.Equal(data.Length, await store.GetLengthAsync(hash));
    }

    [Fact]
    public async Task Commit_ManyWrites_HashesTheConcatenation()
    {
        var store = new LocalBlobStore(_root.Path);
        var data = new byte[300_001];
        new Random(1).NextBytes(data);

        await using var writer = store.BeginWrite();
        for (var offset = 0; offset < data.Length; offset += 7_777)
        {
            await writer.WriteAsync(data.AsMemory(offset, Math.Min(7_777, data.Length - offset)));
        }

        Assert.Equal(data.Length, writer.Length);
        var hash = await writer.CommitAsync();

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), hash);
        Assert.Equal(data, await ReadAllAsync(store, hash));
    }

    [Fact]
    public async Task Commit_EmptyBlob_IsTheEmptyHash()
    {
        var store = new LocalBlobStore(_root.Path);

        var hash = await WriteAsync(store, []);

        Assert.Equal(EmptySha256, hash);
        Assert.Empty(await ReadAllAsync(store, hash));
        Assert.Equal(0, await store.GetLengthAsync(hash));
    }

    [Fact]
    public async Task Commit_SameContentTwice_DeduplicatesToOneFile()
    {
        var store = new LocalBlobStore(_root.Path);
        var data = Encoding.UTF8.GetBytes("same bytes");

        var first = await WriteAsync(store, data);
        var second = await WriteAsync(store, data);

        Assert.Equal(first, second);
        Assert.Single(BlobFiles());
        Assert.Empty(Directory.GetFiles(_root.Combine("tmp")));
    }

    [Fact]
    public async Task Commit_SameContentConcurrently_AllGetTheHashAndOneFileRemains()
    {
        var store = new LocalBlobStore(_root.Path);
        var data = new byte[256 * 1024];
        new Random(3).NextBytes(data);

        var hashes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => WriteAsync(store, data))));

        Assert.Single(hashes.Distinct());
        Assert.Single(BlobFiles());
        Assert.Equal(data, await ReadAllAsync(store, hashes[0]));
    }

    [Fact]
    public async Task Layout_IsTwoHexCharacterFanOut()
    {
        var store = new LocalBlobStore(_root.Path);

        var hash = await WriteAsync(store, [1, 2, 3]);

        Assert.True(File.Exists(_root.Combine(hash[..2], hash)));
    }

    [Fact]
    public async Task OpenRead_IsSeekable()
    {
        var store = new LocalBlobStore(_root.Path);
        var data = Enumerable.Range(0, 10_000).Select(i => (byte)i).ToArray();
        var hash = await WriteAsync(store, data);

        await using var stream = (await store.OpenReadAsync(hash))!;
        Assert.True(stream.CanSeek);
        Assert.Equal(data.Length, stream.Length);
        stream.Seek(9_000, SeekOrigin.Begin);
        var buffer = new byte[100];
        await stream.ReadExactlyAsync(buffer);

        Assert.Equal(data[9_000..9_100], buffer);
    }

    [Fact]
    public async Task ReadRange_OffsetAndLength_ReturnsThatSlice()
    {
        var store = new LocalBlobStore(_root.Path);
        var data = Enumerable.Range(0, 100_000).Select(i => (byte)(i * 7)).ToArray();
        var hash = await WriteAsync(store, data);
        var buffer = new byte[5_000];

        Assert.Equal(5_000, await store.ReadRangeAsync(hash, 12_345, buffer));
        Assert.Equal(data[12_345..17_345], buffer);

        // Short at the end, zero past it.
        Assert.Equal(1_000, await store.ReadRangeAsync(hash, 99_000, buffer));
        Assert.Equal(data[99_000..], buffer[..1_000]);
        Assert.Equal(0, await store.ReadRangeAsync(hash, 100_000, buffer));
        Assert.Equal(0, await store.ReadRangeAsync(hash, 1_000_000, buffer));
    }

    [Fact]
    public async Task Missing_ReadsAsNull()
    {
        var store = new LocalBlobStore(_root.Path);
        var absent = new string('a', 64);

        Assert.Null(await store.OpenReadAsync(absent));
        Assert.Null(await store.GetLengthAsync(absent));
        Assert.Null(await store.ReadRangeAsync(absent, 0, new byte[1]));
    }

    [Theory]
    [InlineData("../../../../etc/passwd")]
    [InlineData("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85")]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8555")]
    [InlineData("e3/0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("")]
    public async Task BadHash_IsArgumentExceptionNeverAPath(string hash)
    {
        var store = new LocalBlobStore(_root.Path);

        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await store.OpenReadAsync(hash));
        Assert.Contains("64 lower-case hex", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.GetLengthAsync(hash));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.ReadRangeAsync(hash, 0, new byte[1]));
        Assert.False(BlobHash.IsValid(hash));
    }

    [Fact]
    public async Task Dispose_WithoutCommit_LeavesNothing()
    {
        var store = new LocalBlobStore(_root.Path);

        await using (var writer = store.BeginWrite())
        {
            await writer.WriteAsync(new byte[100_000]);
        }

        Assert.Empty(BlobFiles());
        Assert.Empty(Directory.GetFiles(_root.Combine("tmp")));
    }

    [Fact]
    public async Task Writer_AfterCommit_RefusesMoreWrites()
    {
        var store = new LocalBlobStore(_root.Path);
        await using var writer = store.BeginWrite();
        await writer.WriteAsync(new byte[] { 1 });
        await writer.CommitAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await writer.WriteAsync(new byte[] { 2 }));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await writer.CommitAsync());
    }

    [Fact]
    public async Task Open_RemovesStaleTempsButNotALiveWritersTemp()
    {
        var store = new LocalBlobStore(_root.Path);
        await File.WriteAllBytesAsync(_root.Combine("tmp", "stale.tmp"), new byte[10]);
        await using var live = store.BeginWrite();
        await live.WriteAsync(Encoding.UTF8.GetBytes("still being written"));

        _ = new LocalBlobStore(_root.Path);

        Assert.False(File.Exists(_root.Combine("tmp", "stale.tmp")));
        var hash = await live.CommitAsync();
        Assert.Equal("still being written", Encoding.UTF8.GetString(await ReadAllAsync(store, hash)));
    }

    public void Dispose() => _root.Dispose();

    internal static async Task<string> WriteAsync(IBlobStore store, byte[] data)
    {
        await using var writer = store.BeginWrite();
        await writer.WriteAsync(data);
        return await writer.CommitAsync();
    }

    internal static async Task<byte[]> ReadAllAsync(IBlobStore store, string hash)
    {
        await using var stream = (await store.OpenReadAsync(hash))!;
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private string[] BlobFiles() =>
        Directory.GetDirectories(_root.Path)
            .Where(d => Path.GetFileName(d) != "tmp")
            .SelectMany(Directory.GetFiles)
            .ToArray();
}

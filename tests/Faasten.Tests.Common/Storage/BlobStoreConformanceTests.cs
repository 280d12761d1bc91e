using System.Security.Cryptography;
using System.Text;
using Faasten.Fs.Storage;

namespace Faasten.Tests.Common.Storage;

/// <summary>
/// What every <see cref="IBlobStore"/> promises, run against each implementation (the local
/// directory and S3): content addressing, de-duplication, streaming writes of any size, seekable
/// and ranged reads, nothing visible before commit, hash validation, and the collector's calls.
/// </summary>
public abstract class BlobStoreConformanceTests
{
    private const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>A store over the same backing storage every time it is called within one test.</summary>
    protected abstract IBlobStore Store { get; }

    /// <summary>Bytes large enough that the store takes its large-blob path (a multipart upload on S3).</summary>
    protected virtual int LargeBlobBytes => 3 * 1024 * 1024 + 17;

    [Fact]
    public async Task Commit_SmallBlob_ReturnsSha256AndReadsBack()
    {
        var data = Encoding.UTF8.GetBytes("hello, blob");

        var hash = await WriteAsync(Store, data);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), hash);
        Assert.Equal(data, await ReadAllAsync(Store, hash));
        Assert.Equal(data.Length, await Store.GetLengthAsync(hash));
    }

    [Fact]
    public async Task Commit_ManyWrites_HashesTheConcatenation()
    {
        var data = new byte[300_001];
        new Random(1).NextBytes(data);

        await using var writer = Store.BeginWrite();
        for (var offset = 0; offset < data.Length; offset += 7_777)
        {
            await writer.WriteAsync(data.AsMemory(offset, Math.Min(7_777, data.Length - offset)));
        }

        Assert.Equal(data.Length, writer.Length);
        var hash = await writer.CommitAsync();

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), hash);
        Assert.Equal(data, await ReadAllAsync(Store, hash));
    }

    [Fact]
    public async Task Commit_LargeBlob_RoundTripsWithSeeksAcrossItsParts()
    {
        var data = new byte[LargeBlobBytes];
        new Random(5).NextBytes(data);

        await using var writer = Store.BeginWrite();
        for (var offset = 0; offset < data.Length; offset += 64 * 1024)
        {
            await writer.WriteAsync(data.AsMemory(offset, Math.Min(64 * 1024, data.Length - offset)));
        }

        var hash = await writer.CommitAsync();

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), hash);
        Assert.Equal(data.Length, await Store.GetLengthAsync(hash));
        Assert.Equal(data, await ReadAllAsync(Store, hash));
        var buffer = new byte[10_000];
        var near = data.Length - 5_000;
        Assert.Equal(5_000, await Store.ReadRangeAsync(hash, near, buffer));
        Assert.Equal(data[near..], buffer[..5_000]);
        Assert.Equal(10_000, await Store.ReadRangeAsync(hash, 1_000, buffer));
        Assert.Equal(data[1_000..11_000], buffer);
    }

    [Fact]
    public async Task Commit_EmptyBlob_IsTheEmptyHash()
    {
        var hash = await WriteAsync(Store, []);

        Assert.Equal(EmptySha256, hash);
        Assert.Empty(await ReadAllAsync(Store, hash));
        Assert.Equal(0, await Store.GetLengthAsync(hash));
    }

    [Fact]
    public async Task Commit_SameContentTwice_DeduplicatesToOneBlob()
    {
        var data = Encoding.UTF8.GetBytes("same bytes");

        var first = await WriteAsync(Store, data);
        var second = await WriteAsync(Store, data);

        Assert.Equal(first, second);
        Assert.Equal([first], await ListedAsync());
    }

    [Fact]
    public async Task Commit_SameContentConcurrently_AllGetTheHashAndOneBlobRemains()
    {
        var data = new byte[256 * 1024];
        new Random(3).NextBytes(data);

        var hashes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => WriteAsync(Store, data))));

        Assert.Single(hashes.Distinct());
        Assert.Equal([hashes[0]], await ListedAsync());
        Assert.Equal(data, await ReadAllAsync(Store, hashes[0]));
    }

    [Fact]
    public async Task OpenRead_IsSeekable()
    {
        var data = Enumerable.Range(0, 10_000).Select(i => (byte)i).ToArray();
        var hash = await WriteAsync(Store, data);

        await using var stream = (await Store.OpenReadAsync(hash))!;
        Assert.True(stream.CanSeek);
        Assert.Equal(data.Length, stream.Length);
        stream.Seek(9_000, SeekOrigin.Begin);
        var buffer = new byte[100];
        await stream.ReadExactlyAsync(buffer);
        Assert.Equal(data[9_000..9_100], buffer);

        // Backwards as well as forwards.
        stream.Seek(10, SeekOrigin.Begin);
        await stream.ReadExactlyAsync(buffer);
        Assert.Equal(data[10..110], buffer);
    }

    [Fact]
    public async Task ReadRange_OffsetAndLength_ReturnsThatSlice()
    {
        var data = Enumerable.Range(0, 100_000).Select(i => (byte)(i * 7)).ToArray();
        var hash = await WriteAsync(Store, data);
        var buffer = new byte[5_000];

        Assert.Equal(5_000, await Store.ReadRangeAsync(hash, 12_345, buffer));
        Assert.Equal(data[12_345..17_345], buffer);

        // Short at the end, zero past it.
        Assert.Equal(1_000, await Store.ReadRangeAsync(hash, 99_000, buffer));
        Assert.Equal(data[99_000..], buffer[..1_000]);
        Assert.Equal(0, await Store.ReadRangeAsync(hash, 100_000, buffer));
        Assert.Equal(0, await Store.ReadRangeAsync(hash, 1_000_000, buffer));
    }

    [Fact]
    public async Task Missing_ReadsAsNull()
    {
        var absent = new string('a', 64);

        Assert.Null(await Store.OpenReadAsync(absent));
        Assert.Null(await Store.GetLengthAsync(absent));
        Assert.Null(await Store.ReadRangeAsync(absent, 0, new byte[1]));
        Assert.False(await Store.DeleteIfCommittedBeforeAsync(absent, DateTimeOffset.MaxValue));
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
        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await Store.OpenReadAsync(hash));
        Assert.Contains("64 lower-case hex", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(async () => await Store.GetLengthAsync(hash));
        await Assert.ThrowsAsync<ArgumentException>(async () => await Store.ReadRangeAsync(hash, 0, new byte[1]));
        await Assert.ThrowsAsync<ArgumentException>(async () => await Store.DeleteIfCommittedBeforeAsync(hash, DateTimeOffset.MaxValue));
        Assert.False(BlobHash.IsValid(hash));
    }

    [Fact]
    public async Task Dispose_WithoutCommit_LeavesNothing()
    {
        await using (var writer = Store.BeginWrite())
        {
            await writer.WriteAsync(new byte[LargeBlobBytes]);
        }

        Assert.Empty(await ListedAsync());
        Assert.Null(await Store.GetLengthAsync(Convert.ToHexStringLower(SHA256.HashData(new byte[LargeBlobBytes]))));
    }

    [Fact]
    public async Task Writer_AfterCommit_RefusesMoreWrites()
    {
        await using var writer = Store.BeginWrite();
        await writer.WriteAsync(new byte[] { 1 });
        await writer.CommitAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await writer.WriteAsync(new byte[] { 2 }));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await writer.CommitAsync());
    }

    [Fact]
    public async Task DeleteIfCommittedBefore_DeletesOnlyBlobsCommittedBeforeTheCutoff()
    {
        var old = await WriteAsync(Store, Encoding.UTF8.GetBytes("old"));
        var listed = await ListAsync();
        var committedAt = Assert.Single(listed).CommittedAt;

        // A cutoff at the commit time spares it (committed at or after); one past it deletes it.
        Assert.False(await Store.DeleteIfCommittedBeforeAsync(old, committedAt));
        Assert.NotNull(await Store.GetLengthAsync(old));
        Assert.True(await Store.DeleteIfCommittedBeforeAsync(old, committedAt + TimeSpan.FromSeconds(1)));
        Assert.Null(await Store.GetLengthAsync(old));
        Assert.Empty(await ListedAsync());
    }

    public static async Task<string> WriteAsync(IBlobStore store, byte[] data)
    {
        await using var writer = store.BeginWrite();
        await writer.WriteAsync(data);
        return await writer.CommitAsync();
    }

    public static async Task<byte[]> ReadAllAsync(IBlobStore store, string hash)
    {
        await using var stream = (await store.OpenReadAsync(hash))!;
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private async Task<List<StoredBlob>> ListAsync()
    {
        var blobs = new List<StoredBlob>();
        await foreach (var blob in Store.ListAsync())
        {
            blobs.Add(blob);
        }

        return blobs;
    }

    private async Task<List<string>> ListedAsync() => (await ListAsync()).Select(b => b.Hash).Order(StringComparer.Ordinal).ToList();
}

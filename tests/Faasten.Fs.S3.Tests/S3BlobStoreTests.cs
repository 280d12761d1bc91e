using Faasten.Fs.Storage;
using Faasten.Tests.Common.Storage;

namespace Faasten.Fs.S3.Tests;

/// <summary>The blob-store conformance tests against a real S3-protocol server, each test on a bucket of its own.</summary>
public sealed class S3BlobStoreTests(S3BucketFixture s3) : BlobStoreConformanceTests, IClassFixture<S3BucketFixture>, IAsyncLifetime, IDisposable
{
    private S3BlobStore? _store;

    // Above one 5 MiB part, so the large-blob test is a multipart upload of two parts.
    protected override int LargeBlobBytes => S3BlobStoreOptions.MinPartBytes + 1_234_567;

    protected override IBlobStore Store => _store ?? throw new InvalidOperationException("not initialized");

    public async Task InitializeAsync() => _store = await s3.NewStoreAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Commit_AboveOnePart_IsStoredWhole()
    {
        var data = new byte[(2 * S3BlobStoreOptions.MinPartBytes) + 3];
        new Random(9).NextBytes(data);

        var hash = await WriteAsync(Store, data);

        Assert.Equal(data, await ReadAllAsync(Store, hash));
    }

    [Fact]
    public async Task Reachable_WhenTheBucketAnswers_AndNotForAMissingBucket()
    {
        Assert.True(await ((S3BlobStore)Store).IsReachableAsync());
        using var missing = new S3BlobStore(s3.Options("no-such-bucket-here"), Faasten.Tests.Common.Engines.S3Server.Credentials);
        Assert.False(await missing.IsReachableAsync());
    }

    [Fact]
    public void Options_BadValues_AreAllReported()
    {
        var errors = new S3BlobStoreOptions { Bucket = "", Endpoint = "not a url", PartBytes = 1024, Prefix = "/x" }.Validate();

        Assert.Equal(4, errors.Count);
    }

    public void Dispose() => _store?.Dispose();
}

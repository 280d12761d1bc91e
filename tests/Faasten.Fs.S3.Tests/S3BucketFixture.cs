using Faasten.Tests.Common.Engines;

namespace Faasten.Fs.S3.Tests;

/// <summary>The test process's S3 server (s3rver on loopback) and an endpoint for its buckets.</summary>
public sealed class S3BucketFixture : IAsyncLifetime
{
    public string Endpoint { get; private set; } = "";

    public async Task InitializeAsync() => Endpoint = await S3Server.GetEndpointAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A store over a fresh bucket, with the smallest part size S3 allows so multipart is cheap to reach.</summary>
    public async Task<S3BlobStore> NewStoreAsync(string? bucket = null) =>
        new(Options(bucket ?? await S3Server.CreateBucketAsync()), S3Server.Credentials);

    public S3BlobStoreOptions Options(string bucket) => new()
    {
        Endpoint = Endpoint,
        Bucket = bucket,
        PartBytes = S3BlobStoreOptions.MinPartBytes,
    };
}

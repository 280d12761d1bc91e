using System.Security.Cryptography;
using Faasten.Tests.Common.Engines;
using Faasten.Tests.Common.Storage;

namespace Faasten.Fs.S3.Tests;

public sealed class S3BlobStoreCrashTests(S3BucketFixture s3) : IClassFixture<S3BucketFixture>
{
    /// <summary>
    /// A writer killed with SIGKILL while a multipart upload is in flight (parts already on the
    /// server, the upload not completed) leaves nothing under any hash; what it committed before survives.
    /// </summary>
    [Fact]
    public async Task ProcessKilledMidMultipartUpload_LeavesNoBlobUnderAnyHash()
    {
        var bucket = await S3Server.CreateBucketAsync();
        using var child = CrashHelperProcess.Start("s3blob", s3.Endpoint, bucket, S3Server.AccessKey, S3Server.SecretKey);
        var committed = (await child.WaitForLineAsync(l => l.StartsWith("committed ", StringComparison.Ordinal), TimeSpan.FromSeconds(60)))["committed ".Length..];
        await child.WaitForLineAsync(l => l == "uploading", TimeSpan.FromSeconds(60));

        // Kill once the server holds a part of the upload: the kill lands mid-multipart.
        var uploads = Path.Combine(await S3Server.GetDataDirectoryAsync(), bucket);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!HasUploadedPart(uploads))
        {
            Assert.True(DateTime.UtcNow < deadline, "the helper's multipart upload never stored a part");
            await Task.Delay(5);
        }

        await child.KillAsync();

        using var store = await s3.NewStoreAsync(bucket);
        var listed = new List<string>();
        await foreach (var blob in store.ListAsync())
        {
            listed.Add(blob.Hash);
        }

        // The helper prints each big blob's hash only after its upload completed.
        var completed = child.Lines.Where(l => l.StartsWith("committed ", StringComparison.Ordinal)).Select(l => l["committed ".Length..]).ToList();
        Assert.Equal(completed.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        Assert.Contains(committed, listed);
        foreach (var hash in listed)
        {
            Assert.Equal(hash, Convert.ToHexStringLower(SHA256.HashData(await BlobStoreConformanceTests.ReadAllAsync(store, hash))));
        }

        // The blob being uploaded when the helper died is under no hash.
        var killed = child.Lines.Last(l => l.StartsWith("uploading ", StringComparison.Ordinal))["uploading ".Length..];
        Assert.DoesNotContain(killed, listed);
        Assert.Null(await store.GetLengthAsync(killed));
    }

    private static bool HasUploadedPart(string bucketDirectory) =>
        Directory.Exists(bucketDirectory)
        && Directory.EnumerateFiles(bucketDirectory, "*", SearchOption.AllDirectories)
            .Any(f => Path.GetFileName(f).All(char.IsAsciiDigit) && f.Contains("upload", StringComparison.Ordinal));
}

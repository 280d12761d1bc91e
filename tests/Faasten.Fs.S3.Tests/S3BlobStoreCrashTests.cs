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
    /// <remarks>
    /// The kill lands when the server first holds a part of the upload, but on a loaded machine the
    /// helper may finish the upload before the kill arrives; then the blob is complete and may be
    /// listed. Every attempt checks that nothing partial or unannounced is listed; the test needs one
    /// attempt in which the kill did land mid-upload, and tries up to five times to get it.
    /// </remarks>
    [Fact]
    public async Task ProcessKilledMidMultipartUpload_LeavesNoBlobUnderAnyHash()
    {
        const int attempts = 5;
        for (var attempt = 1; ; attempt++)
        {
            if (await KillMidUploadAsync())
            {
                return;
            }

            Assert.True(attempt < attempts, $"in {attempts} attempts the upload always completed before the kill landed");
        }
    }

    // One attempt; true when the kill landed before the upload completed.
    private async Task<bool> KillMidUploadAsync()
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

        // Listed: what the helper said it committed, and at most the blob it was uploading when it
        // died, if its upload had completed on the server first. Each one whole.
        var completed = child.Lines.Where(l => l.StartsWith("committed ", StringComparison.Ordinal)).Select(l => l["committed ".Length..]).ToHashSet();
        var killed = child.Lines.Last(l => l.StartsWith("uploading ", StringComparison.Ordinal))["uploading ".Length..];
        Assert.Contains(committed, listed);
        Assert.All(listed, hash => Assert.True(completed.Contains(hash) || hash == killed, $"{hash} was never announced"));
        foreach (var hash in listed)
        {
            Assert.Equal(hash, Convert.ToHexStringLower(SHA256.HashData(await BlobStoreConformanceTests.ReadAllAsync(store, hash))));
        }

        // The blob being uploaded when the helper died is under no hash, unless it had completed.
        if (listed.Contains(killed))
        {
            return false;
        }

        Assert.Null(await store.GetLengthAsync(killed));
        Assert.Equal(completed.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        return true;
    }

    private static bool HasUploadedPart(string bucketDirectory) =>
        Directory.Exists(bucketDirectory)
        && Directory.EnumerateFiles(bucketDirectory, "*", SearchOption.AllDirectories)
            .Any(f => Path.GetFileName(f).All(char.IsAsciiDigit) && f.Contains("upload", StringComparison.Ordinal));
}

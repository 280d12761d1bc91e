using System.Security.Cryptography;
using Faasten.Fs.Storage;
using Faasten.Tests.Common;
using Xunit.Abstractions;

namespace Faasten.Fs.Tests.Storage;

/// <summary>
/// A 64 MiB blob streamed through the store. Runs alone (see <see cref="AllocationSensitiveCollection"/>)
/// because it measures process-wide allocations.
/// </summary>
[Collection(nameof(AllocationSensitiveCollection))]
public sealed class LocalBlobStoreLargeBlobTests(ITestOutputHelper output) : IDisposable
{
    private const int ChunkSize = 64 * 1024;
    private const long BlobSize = 64L * 1024 * 1024;

    private readonly TempDirectory _root = new("faasten-blobs");

    [Fact]
    public async Task LargeBlob_StreamsWithBoundedMemoryAndRoundTrips()
    {
        var store = new LocalBlobStore(_root.Path);
        var chunk = new byte[ChunkSize];
        var random = new Random(11);
        using var expected = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        await using var writer = store.BeginWrite();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (long written = 0; written < BlobSize; written += ChunkSize)
        {
            // Generated on the fly into one reused buffer: the test holds no copy either.
            random.NextBytes(chunk);
            expected.AppendData(chunk);
            await writer.WriteAsync(chunk);
        }

        var hash = await writer.CommitAsync();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        output.WriteLine($"writing {BlobSize} bytes allocated {allocated} bytes");

        Assert.Equal(Convert.ToHexStringLower(expected.GetHashAndReset()), hash);
        Assert.Equal(BlobSize, await store.GetLengthAsync(hash));

        // The writer's buffer plus per-call bookkeeping; a writer that kept the blob would allocate over 64 MiB.
        Assert.True(allocated < 2 * 1024 * 1024, $"writing {BlobSize} bytes allocated {allocated} bytes");

        await using var stream = (await store.OpenReadAsync(hash))!;
        using var actual = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        int read;
        while ((read = await stream.ReadAsync(chunk)) > 0)
        {
            actual.AppendData(chunk, 0, read);
        }

        Assert.Equal(hash, Convert.ToHexStringLower(actual.GetHashAndReset()));
    }

    public void Dispose() => _root.Dispose();
}

using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Faasten.Fs.Storage;

namespace Faasten.Benchmarks.Storage;

/// <summary>
/// Streaming a 16 MiB blob into and out of the local store, in 1 MiB calls. A write
/// includes hashing, the fsync and the rename; every written blob is distinct, so none
/// is de-duplicated away. Reads come from the page cache.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(BlobThroughputConfig))]
public class BlobStoreBenchmarks
{
    public const int BlobSize = 16 * 1024 * 1024;
    private const int ChunkSize = 1024 * 1024;

    private readonly byte[] _chunk = new byte[ChunkSize];
    private string _directory = "";
    private LocalBlobStore _writeStore = null!;
    private LocalBlobStore _readStore = null!;
    private string _readHash = "";
    private long _written;

    // Blocks: the in-process toolchain does not await an async setup.
    [GlobalSetup]
    public void Setup()
    {
        new Random(1).NextBytes(_chunk);
        _directory = Directory.CreateTempSubdirectory("faasten-bench-blobs-").FullName;
        _writeStore = new LocalBlobStore(Path.Combine(_directory, "write"));
        _readStore = new LocalBlobStore(Path.Combine(_directory, "read"));
        _readHash = WriteAsync(_readStore).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    [Benchmark]
    public Task<string> Write16MiB() => WriteAsync(_writeStore);

    [Benchmark]
    public async Task<long> Read16MiB()
    {
        await using var stream = (await _readStore.OpenReadAsync(_readHash))!;
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(_chunk)) > 0)
        {
            total += read;
        }

        return total == BlobSize ? total : throw new InvalidOperationException($"Read {total} bytes.");
    }

    private async Task<string> WriteAsync(LocalBlobStore store)
    {
        // A fresh first word makes every blob distinct.
        BinaryPrimitives.WriteInt64LittleEndian(_chunk, ++_written);
        await using var writer = store.BeginWrite();
        for (var offset = 0; offset < BlobSize; offset += ChunkSize)
        {
            await writer.WriteAsync(_chunk);
        }

        return await writer.CommitAsync();
    }
}

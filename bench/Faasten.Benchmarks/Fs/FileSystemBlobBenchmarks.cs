using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Faasten.Benchmarks.Storage;
using Faasten.Fs;
using static Faasten.Benchmarks.Fs.BenchFileSystem;

namespace Faasten.Benchmarks.Fs;

/// <summary>
/// A 16 MiB blob through the monitor on each metadata store: written in 1 MiB calls and
/// linked under a name (then unlinked, so the directory keeps its size), and opened by path
/// and read back. The bytes go to the local blob store either way; the store adds the entry.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(BlobThroughputConfig))]
public class FileSystemBlobBenchmarks
{
    private const int ChunkSize = 1024 * 1024;

    private readonly byte[] _chunk = new byte[ChunkSize];
    private BenchFileSystem _bench = null!;
    private long _written;

    [Params("sqlite", "postgres")]
    public string Store { get; set; } = "sqlite";

    // Blocks: the in-process toolchain does not await an async setup.
    [GlobalSetup]
    public void Setup()
    {
        new Random(1).NextBytes(_chunk);
        _bench = BenchFileSystem.CreateAsync(Store).GetAwaiter().GetResult();
        Check(_bench.Fs.CreateDirectoryAsync(Alice(), "~:blobs", Private).AsTask().GetAwaiter().GetResult());
        WriteAndLinkAsync("~:blobs:read").GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _bench.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark]
    public async Task<FsStatus> WriteAndLink16MiB()
    {
        await WriteAndLinkAsync("~:blobs:new");
        return (await _bench.Fs.DeleteAsync(Alice(), "~:blobs:new")).Status;
    }

    [Benchmark]
    public async Task<long> OpenAndRead16MiB()
    {
        var handle = (await _bench.Fs.OpenBlobAsync(Alice(), "~:blobs:read")).Value;
        await using var stream = (await _bench.Blobs.OpenReadAsync(handle.Hash))!;
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(_chunk)) > 0)
        {
            total += read;
        }
        return total == BlobStoreBenchmarks.BlobSize ? total : throw new InvalidOperationException($"Read {total} bytes.");
    }

    private async Task WriteAndLinkAsync(string path)
    {
        // A fresh first word makes every blob distinct, so none is de-duplicated away.
        BinaryPrimitives.WriteInt64LittleEndian(_chunk, ++_written);
        string hash;
        await using (var writer = _bench.Blobs.BeginWrite())
        {
            for (var offset = 0; offset < BlobStoreBenchmarks.BlobSize; offset += ChunkSize)
            {
                await writer.WriteAsync(_chunk);
            }
            hash = await writer.CommitAsync();
        }
        Check(await _bench.Fs.LinkBlobAsync(Alice(), path, hash, Private));
    }
}

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
public class FileSystemBlobBenchmarks : StoreBenchmarks
{
    private const int ChunkSize = 1024 * 1024;

    private readonly byte[] _chunk = new byte[ChunkSize];
    private long _written;

    [Benchmark]
    public async Task<FsStatus> WriteAndLink16MiB()
    {
        await WriteAndLinkAsync("~:blobs:new");
        return (await Files.DeleteAsync(Alice(), "~:blobs:new")).Status;
    }

    [Benchmark]
    public async Task<long> OpenAndRead16MiB()
    {
        var handle = (await Files.OpenBlobAsync(Alice(), "~:blobs:read")).Value;
        await using var stream = (await Bench.Blobs.OpenReadAsync(handle.Hash))!;
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
        await using (var writer = Bench.Blobs.BeginWrite())
        {
            for (var offset = 0; offset < BlobStoreBenchmarks.BlobSize; offset += ChunkSize)
            {
                await writer.WriteAsync(_chunk);
            }
            hash = await writer.CommitAsync();
        }
        Check(await Files.LinkBlobAsync(Alice(), path, hash, Private));
    }

    protected override async Task PopulateAsync()
    {
        new Random(1).NextBytes(_chunk);
        Check(await Files.CreateDirectoryAsync(Alice(), "~:blobs", Private));
        await WriteAndLinkAsync("~:blobs:read");
    }
}

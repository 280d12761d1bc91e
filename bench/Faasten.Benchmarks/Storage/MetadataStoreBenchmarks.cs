using BenchmarkDotNet.Attributes;
using Faasten.Fs.Storage;

namespace Faasten.Benchmarks.Storage;

/// <summary>
/// One metadata operation per call on a store that already holds the keys it touches;
/// values are 256 bytes. Writes are durable when they return (SQLite: WAL, synchronous=FULL).
/// </summary>
[MemoryDiagnoser]
public abstract class MetadataStoreBenchmarks
{
    private const int ScanKeys = 100;
    private const int ConcurrentWriters = 16;

    private readonly byte[] _value = new byte[256];
    private readonly string[] _concurrentKeys = Enumerable.Range(0, ConcurrentWriters).Select(i => $"concurrent:{i}").ToArray();
    private IMetadataStore _store = null!;
    private long _casVersion;

    // Setup and cleanup block: the in-process toolchain does not await async ones.
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    [Benchmark]
    public async Task<long> Get() => (await _store.GetAsync("get"))!.Value.Version;

    [Benchmark]
    public ValueTask<long> Put() => _store.PutAsync("put", _value);

    /// <summary>
    /// Time per put with 16 writers at once (distinct keys). SQLite commits whatever queued
    /// during the previous fsync as one transaction, so this is far below <see cref="Put"/>.
    /// </summary>
    [Benchmark(OperationsPerInvoke = ConcurrentWriters)]
    public Task ConcurrentPut16() => Task.WhenAll(_concurrentKeys.Select(key => _store.PutAsync(key, _value).AsTask()));

    /// <summary>A swap against the current version: the success path of a directory link.</summary>
    [Benchmark]
    public async Task<long> CompareAndSwap()
    {
        if (!await _store.CompareAndSwapAsync("cas", _casVersion, _value))
        {
            throw new InvalidOperationException("The benchmark lost track of the version.");
        }

        return ++_casVersion;
    }

    [Benchmark]
    public async Task<int> Scan100()
    {
        var count = 0;
        await foreach (var _ in _store.ScanAsync("scan:"))
        {
            count++;
        }

        return count == ScanKeys ? count : throw new InvalidOperationException($"Scanned {count} keys.");
    }

    protected abstract Task<IMetadataStore> OpenStoreAsync();

    protected abstract Task DeleteStorageAsync();

    private async Task SetupAsync()
    {
        new Random(1).NextBytes(_value);
        _store = await OpenStoreAsync();
        await _store.PutAsync("get", _value);
        _casVersion = await _store.PutAsync("cas", _value);
        for (var i = 0; i < ScanKeys; i++)
        {
            await _store.PutAsync($"scan:{i:D3}", _value);
        }

        // Neighbours just outside the prefix, so the range bounds do real work.
        await _store.PutAsync("scan", _value);
        await _store.PutAsync("scan;", _value);

        // Steady state: SQLite's log grows (each commit also syncs a new file size) until the
        // first checkpoint at 1000 pages, after which it is reused; measure after that point.
        for (var i = 0; i < 3000; i++)
        {
            await _store.PutAsync("warm", _value);
        }
    }

    private async Task CleanupAsync()
    {
        await _store.DisposeAsync();
        await DeleteStorageAsync();
    }
}

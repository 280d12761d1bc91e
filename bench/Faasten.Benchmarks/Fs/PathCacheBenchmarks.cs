using BenchmarkDotNet.Attributes;
using Faasten.Fs;
using static Faasten.Benchmarks.Fs.BenchFileSystem;

namespace Faasten.Benchmarks.Fs;

/// <summary>
/// Resolving a 5-component path (home, &lt;alice,alice&gt;, a, b, c) with the directory-record
/// cache warm (the same file system, as a server runs) and cold (a new file system over the
/// same store for each resolution). Entries are read from the store either way.
/// </summary>
[MemoryDiagnoser]
public class PathCacheBenchmarks
{
    private BenchFileSystem _bench = null!;
    private FileSystem _fs = null!;

    [Params("sqlite", "postgres")]
    public string Store { get; set; } = "sqlite";

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => _bench.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true)]
    public async Task<FsStatus> ResolveFiveComponentsWarm() => (await _fs.StatAsync(Alice(), "~:a:b:c")).Status;

    [Benchmark]
    public async Task<FsStatus> ResolveFiveComponentsCold() => (await _bench.Reopen().StatAsync(Alice(), "~:a:b:c")).Status;

    private async Task SetupAsync()
    {
        _bench = await BenchFileSystem.CreateAsync(Store);
        _fs = _bench.Fs;
        foreach (var dir in new[] { "~:a", "~:a:b", "~:a:b:c" })
        {
            Check(await _fs.CreateDirectoryAsync(Alice(), dir, Private));
        }
    }
}

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
public class PathCacheBenchmarks : StoreBenchmarks
{
    [Benchmark(Baseline = true)]
    public async Task<FsStatus> ResolveFiveComponentsWarm() => (await Files.StatAsync(Alice(), "~:a:b:c")).Status;

    [Benchmark]
    public async Task<FsStatus> ResolveFiveComponentsCold() => (await Bench.Reopen().StatAsync(Alice(), "~:a:b:c")).Status;

    protected override async Task PopulateAsync()
    {
        foreach (var dir in new[] { "~:a", "~:a:b", "~:a:b:c" })
        {
            Check(await Files.CreateDirectoryAsync(Alice(), dir, Private));
        }
    }
}

using BenchmarkDotNet.Attributes;
using Faasten.Fs;
using static Faasten.Benchmarks.Fs.BenchFileSystem;

namespace Faasten.Benchmarks.Fs;

/// <summary>
/// Directory operations against the directory's size: a link and its unlink (the directory
/// keeps its size), and reading one page of up to 1,000 entries. Entries are keys of their own,
/// so neither should grow with the directory.
/// </summary>
[MemoryDiagnoser]
public class DirectoryScaleBenchmarks
{
    private BenchFileSystem _bench = null!;
    private FileSystem _fs = null!;

    [Params("sqlite", "postgres")]
    public string Store { get; set; } = "sqlite";

    [Params(10, 1_000, 100_000)]
    public int Entries { get; set; }

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => _bench.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark]
    public async Task<FsStatus> LinkAndUnlink()
    {
        Check(await _fs.CreateFileAsync(Alice(), "~:big:new", Private));
        return (await _fs.DeleteAsync(Alice(), "~:big:new")).Status;
    }

    [Benchmark]
    public async Task<int> ListPageOf1000() => (await _fs.ListPageAsync(Alice(), "~:big", null, 1_000)).Value!.Entries.Count;

    private async Task SetupAsync()
    {
        _bench = await BenchFileSystem.CreateAsync(Store);
        _fs = _bench.Fs;
        Check(await _fs.CreateDirectoryAsync(Alice(), "~:big", Private));
        await Parallel.ForAsync(0, Entries, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
            Check(await _fs.CreateFileAsync(Alice(), $"~:big:f{i:D6}", Private)));
    }
}

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
public class DirectoryScaleBenchmarks : StoreBenchmarks
{
    [Params(10, 1_000, 100_000)]
    public int Entries { get; set; }

    [Benchmark]
    public async Task<FsStatus> LinkAndUnlink()
    {
        Check(await Files.CreateFileAsync(Alice(), "~:big:new", Private));
        return (await Files.DeleteAsync(Alice(), "~:big:new")).Status;
    }

    [Benchmark]
    public async Task<int> ListPageOf1000() => (await Files.ListPageAsync(Alice(), "~:big", null, 1_000)).Value!.Entries.Count;

    protected override async Task PopulateAsync()
    {
        Check(await Files.CreateDirectoryAsync(Alice(), "~:big", Private));
        await Parallel.ForAsync(0, Entries, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
            Check(await Files.CreateFileAsync(Alice(), $"~:big:f{i:D6}", Private)));
    }
}

using BenchmarkDotNet.Attributes;
using Faasten.Fs;
using static Faasten.Benchmarks.Fs.BenchFileSystem;

namespace Faasten.Benchmarks.Fs;

/// <summary>
/// Monitor operations on each metadata store: resolving a 5-component path (every step a
/// store read plus a taint), linking and unlinking an entry in a directory, and file
/// read/write. PostgreSQL needs FAASTEN_TEST_POSTGRES (the test script's server).
/// </summary>
[MemoryDiagnoser]
public class FileSystemBenchmarks : StoreBenchmarks
{
    private const int LinkedEntries = 100;

    /// <summary>home, &lt;alice,alice&gt;, a, b, c: five components.</summary>
    [Benchmark]
    public async Task<FsStatus> ResolveFiveComponents() => (await Files.StatAsync(Alice(), "~:a:b:c")).Status;

    /// <summary>
    /// A link and its unlink in a directory of <see cref="LinkedEntries"/> entries, so the
    /// directory keeps its size; <see cref="DirectoryScaleBenchmarks"/> varies the size.
    /// </summary>
    [Benchmark]
    public async Task<FsStatus> LinkAndUnlinkInDirectoryOf100()
    {
        Check(await Files.CreateFileAsync(Alice(), "~:links:new", Private));
        return (await Files.DeleteAsync(Alice(), "~:links:new")).Status;
    }

    [Benchmark]
    public async Task<int> ReadFile1KiB() => (await Files.ReadFileAsync(Alice(), "~:a:b:c:file")).Value!.Length;

    [Benchmark]
    public async Task<FsStatus> WriteFile1KiB() => (await Files.WriteFileAsync(Alice(), "~:a:b:c:file", new byte[1024])).Status;

    protected override async Task PopulateAsync()
    {
        var alice = Alice();
        foreach (var dir in new[] { "~:a", "~:a:b", "~:a:b:c", "~:links" })
        {
            Check(await Files.CreateDirectoryAsync(alice, dir, Private));
        }
        Check(await Files.CreateFileAsync(alice, "~:a:b:c:file", Private, new byte[1024]));
        for (var i = 0; i < LinkedEntries; i++)
        {
            Check(await Files.CreateFileAsync(alice, $"~:links:f{i}", Private));
        }
    }
}

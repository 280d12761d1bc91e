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
public class FileSystemBenchmarks
{
    private const int LinkedEntries = 100;

    private BenchFileSystem _bench = null!;
    private FileSystem _fs = null!;

    [Params("sqlite", "postgres")]
    public string Store { get; set; } = "sqlite";

    // Blocks: the in-process toolchain does not await an async setup.
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => _bench.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>home, &lt;alice,alice&gt;, a, b, c: five components.</summary>
    [Benchmark]
    public async Task<FsStatus> ResolveFiveComponents() => (await _fs.StatAsync(Alice(), "~:a:b:c")).Status;

    /// <summary>
    /// A link and its unlink in a directory of <see cref="LinkedEntries"/> entries, so the
    /// directory keeps its size; <see cref="DirectoryScaleBenchmarks"/> varies the size.
    /// </summary>
    [Benchmark]
    public async Task<FsStatus> LinkAndUnlinkInDirectoryOf100()
    {
        Check(await _fs.CreateFileAsync(Alice(), "~:links:new", Private));
        return (await _fs.DeleteAsync(Alice(), "~:links:new")).Status;
    }

    [Benchmark]
    public async Task<int> ReadFile1KiB() => (await _fs.ReadFileAsync(Alice(), "~:a:b:c:file")).Value!.Length;

    [Benchmark]
    public async Task<FsStatus> WriteFile1KiB() => (await _fs.WriteFileAsync(Alice(), "~:a:b:c:file", new byte[1024])).Status;

    private async Task SetupAsync()
    {
        _bench = await BenchFileSystem.CreateAsync(Store);
        _fs = _bench.Fs;
        var alice = Alice();
        foreach (var dir in new[] { "~:a", "~:a:b", "~:a:b:c", "~:links" })
        {
            Check(await _fs.CreateDirectoryAsync(alice, dir, Private));
        }
        Check(await _fs.CreateFileAsync(alice, "~:a:b:c:file", Private, new byte[1024]));
        for (var i = 0; i < LinkedEntries; i++)
        {
            Check(await _fs.CreateFileAsync(alice, $"~:links:f{i}", Private));
        }
    }
}

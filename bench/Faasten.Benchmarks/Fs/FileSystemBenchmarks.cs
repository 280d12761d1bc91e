using BenchmarkDotNet.Attributes;
using Faasten.Fs;
using Faasten.Fs.Postgres;
using Faasten.Fs.Storage;
using Faasten.Labels;

namespace Faasten.Benchmarks.Fs;

/// <summary>
/// Monitor operations on each metadata store: resolving a 5-component path (every step a
/// store read plus a taint), linking a new entry into a directory (object insert + CAS), and
/// file read/write. PostgreSQL needs FAASTEN_TEST_POSTGRES (the test script's server).
/// </summary>
[MemoryDiagnoser]
public class FileSystemBenchmarks
{
    private static readonly Label Private = Label.Parse("alice,alice");
    private string _dir = "";
    private IMetadataStore _store = null!;
    private FileSystem _fs = null!;
    private int _next;

    [Params("sqlite", "postgres")]
    public string Store { get; set; } = "sqlite";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _dir = Directory.CreateTempSubdirectory("faasten-bench-fs-").FullName;
        _store = Store == "sqlite"
            ? SqliteMetadataStore.Open(Path.Combine(_dir, "metadata.db"))
            : await PostgresMetadataStore.OpenAsync(new PostgresMetadataStoreOptions
            {
                ConnectionString = Environment.GetEnvironmentVariable("FAASTEN_TEST_POSTGRES")
                    ?? throw new InvalidOperationException("set FAASTEN_TEST_POSTGRES to benchmark PostgreSQL"),
                Table = "bench_fs_" + Environment.ProcessId,
            });
        _fs = new FileSystem(_store, new LocalBlobStore(Path.Combine(_dir, "blobs")));
        await _fs.BootstrapAsync();
        await _fs.AddUserAsync(new SecurityContext(Component.False), "alice");
        var alice = Alice();
        foreach (var dir in new[] { "~:a", "~:a:b", "~:a:b:c" })
        {
            Check(await _fs.CreateDirectoryAsync(alice, dir, Private));
        }

        Check(await _fs.CreateFileAsync(alice, "~:a:b:c:file", Private, new byte[1024]));
        Check(await _fs.CreateDirectoryAsync(alice, "~:links", Private));
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>home, &lt;alice,alice&gt;, a, b, c: five components.</summary>
    [Benchmark]
    public async Task<FsStatus> ResolveFiveComponents() => (await _fs.StatAsync(Alice(), "~:a:b:c")).Status;

    [Benchmark]
    public async Task<FsStatus> LinkIntoDirectory() =>
        (await _fs.CreateFileAsync(Alice(), "~:links:f" + Interlocked.Increment(ref _next), Private)).Status;

    [Benchmark]
    public async Task<int> ReadFile1KiB() => (await _fs.ReadFileAsync(Alice(), "~:a:b:c:file")).Value!.Length;

    [Benchmark]
    public async Task<FsStatus> WriteFile1KiB() => (await _fs.WriteFileAsync(Alice(), "~:a:b:c:file", new byte[1024])).Status;

    private static SecurityContext Alice() => new(Component.Parse("alice"));

    private static void Check(FsResult result)
    {
        if (!result.IsOk)
        {
            throw new InvalidOperationException(result.ToString());
        }
    }
}

using BenchmarkDotNet.Attributes;
using Faasten.Fs;

namespace Faasten.Benchmarks.Fs;

/// <summary>
/// A file-system benchmark on each metadata store: the store, set up once per parameter set
/// with what the benchmark populates, and disposed after it. PostgreSQL needs
/// FAASTEN_TEST_POSTGRES (the test script's server).
/// </summary>
public abstract class StoreBenchmarks
{
    [Params("sqlite", "postgres")]
    public string Store { get; set; } = "sqlite";

    private protected BenchFileSystem Bench { get; private set; } = null!;

    /// <summary>The file system under test, on <see cref="Store"/>.</summary>
    protected FileSystem Files => Bench.Fs;

    // Blocks: the in-process toolchain does not await an async setup.
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => Bench.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Creates what the benchmarks read, in the fresh store.</summary>
    protected abstract Task PopulateAsync();

    private async Task SetupAsync()
    {
        Bench = await BenchFileSystem.CreateAsync(Store);
        await PopulateAsync();
    }
}

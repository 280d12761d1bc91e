using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Faasten.Worker.Hosting;

namespace Faasten.Benchmarks.Worker;

/// <summary>
/// Throughput of the no-op function through scheduler + worker + warm VMs with 8 callers, each
/// invoking again as soon as its reply arrives. Requests/s = 1 / mean time per operation.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 3, iterationCount: 15, invocationCount: 1)]
public class WarmThroughputBenchmarks
{
    private const int Callers = 8;
    private const int PerCaller = 250;
    private WorkerEnvironment _env = null!;

    /// <summary>Worker slots (= warm VMs of the function).</summary>
    [Params(4, 8)]
    public int Slots { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _env = await WorkerEnvironment.CreateAsync(new WorkerOptions { Slots = Slots });
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => _env.InvokeAsync()));
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await _env.DisposeAsync();

    [Benchmark(OperationsPerInvoke = Callers * PerCaller)]
    public Task Concurrency8() => Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => Task.Run(async () =>
    {
        for (var i = 0; i < PerCaller; i++)
        {
            await _env.InvokeAsync();
        }
    })));
}

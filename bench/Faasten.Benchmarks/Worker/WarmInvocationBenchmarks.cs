using BenchmarkDotNet.Attributes;
using Faasten.Protocol.Invocations;
using Faasten.Protocol.V1;
using Faasten.Worker.Hosting;

namespace Faasten.Benchmarks.Worker;

/// <summary>
/// A no-op function invoked through scheduler, worker (gate resolution on SQLite, authorization,
/// VM pool, kernel) and a warm bubblewrap VM: the embedded path minus HTTP.
/// </summary>
[Config(typeof(LatencyConfig))]
public class WarmInvocationBenchmarks
{
    private WorkerEnvironment _env = null!;

    /// <summary>With each invocation's record, logs (captured in the VM) and taint trail kept, as the server does.</summary>
    [Params(false, true)]
    public bool Records { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _env = await WorkerEnvironment.CreateAsync(new WorkerOptions(), Records);
        await _env.InvokeAsync();
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await _env.DisposeAsync();

    [Benchmark]
    public Task<InvocationStatus> WarmInvoke() => _env.InvokeAsync();
}

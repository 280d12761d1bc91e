using BenchmarkDotNet.Attributes;
using Faasten.Protocol.Invocations;
using Faasten.Protocol.V1;
using Faasten.Worker.Hosting;

namespace Faasten.Benchmarks.Worker;

/// <summary>
/// A no-op invocation that finds no idle VM: the worker starts a fresh bubblewrap sandbox
/// (image already unpacked), waits for the runtime's Hello, runs <c>handle</c> and replies.
/// The idle VM is destroyed between iterations, outside the measurement.
/// </summary>
[Config(typeof(ColdStartConfig))]
public class ColdStartBenchmarks
{
    private WorkerEnvironment _env = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _env = await WorkerEnvironment.CreateAsync(new WorkerOptions());
        await _env.InvokeAsync();
    }

    // BenchmarkDotNet 0.14 runs iteration cleanups only as void methods, so this one blocks.
    [IterationCleanup]
    public void EvictIdle() => _env.Host.EvictIdleVmsAsync().AsTask().GetAwaiter().GetResult();

    [GlobalCleanup]
    public async Task CleanupAsync() => await _env.DisposeAsync();

    [Benchmark]
    public Task<InvocationStatus> ColdInvoke() => _env.InvokeAsync();
}

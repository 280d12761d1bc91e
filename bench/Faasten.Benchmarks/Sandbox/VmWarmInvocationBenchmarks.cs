using BenchmarkDotNet.Attributes;
using Faasten.Sandbox.Vm;

namespace Faasten.Benchmarks.Sandbox;

/// <summary>A no-op invocation on a live VM: StartInvocation out, InvocationResult back.</summary>
public class VmWarmInvocationBenchmarks
{
    private SandboxBench _bench = null!;
    private IVm _vm = null!;
    private StaticKernel _kernel = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _bench = new SandboxBench();
        _kernel = new StaticKernel();
        _vm = await _bench.Backend.StartAsync(new VmSpec(_bench.Function("def handle(event, cloudcall):\n    return event\n")));
    }

    [Benchmark]
    public async Task<InvocationOutcome> WarmNoopInvocation()
    {
        var outcome = await _vm.InvokeAsync(SandboxBench.Request("{}"), _kernel);
        SandboxBench.EnsureOk(outcome);
        return outcome;
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _vm.DisposeAsync();
        await _bench.DisposeAsync();
    }
}

using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Faasten.Sandbox.Vm;

namespace Faasten.Benchmarks.Sandbox;

/// <summary>
/// A no-op CloudCall (get_current_label against a constant kernel) made from Python in a live
/// VM, <see cref="Calls"/> times per invocation: the reported time is per call. The function
/// also times the loop itself; its per-call figure is printed at the end of the run.
/// The second job runs socket continuations inline on the epoll thread instead of the thread
/// pool (a process-wide runtime switch the host may set).
/// </summary>
[Config(typeof(RoundTripConfig))]
public class CloudCallRoundTripBenchmarks
{
    private const int Calls = 10_000;
    private readonly List<double> _inVmNanoseconds = [];
    private SandboxBench _bench = null!;
    private IVm _vm = null!;
    private StaticKernel _kernel = null!;

    public sealed class RoundTripConfig : ManualConfig
    {
        public RoundTripConfig()
        {
            AddJob(Job.Default.WithId("ThreadPool"));
            AddJob(Job.Default.WithId("InlineCompletions")
                .WithEnvironmentVariables(new EnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1")));
        }
    }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _bench = new SandboxBench();
        _kernel = new StaticKernel();
        _vm = await _bench.Backend.StartAsync(new VmSpec(_bench.Function(
            """
            import time

            def handle(event, cloudcall):
                n = event
                start = time.perf_counter_ns()
                for _ in range(n):
                    cloudcall.get_current_label()
                return (time.perf_counter_ns() - start) / n
            """)));
    }

    [Benchmark(OperationsPerInvoke = Calls)]
    public async Task<double> NoopCloudCall()
    {
        var outcome = await _vm.InvokeAsync(SandboxBench.Request(Calls.ToString(System.Globalization.CultureInfo.InvariantCulture)), _kernel);
        SandboxBench.EnsureOk(outcome);
        var nanoseconds = System.Text.Json.JsonSerializer.Deserialize<double>(outcome.Body.Span);
        _inVmNanoseconds.Add(nanoseconds);
        return nanoseconds;
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        if (_inVmNanoseconds.Count > 0)
        {
            _inVmNanoseconds.Sort();
            Console.WriteLine(
                $"// In-VM CloudCall round trip (inline completions: {Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") ?? "0"}) " +
                $"over {_inVmNanoseconds.Count} runs of {Calls} calls: " +
                $"median {_inVmNanoseconds[_inVmNanoseconds.Count / 2] / 1000:F2} us, best {_inVmNanoseconds[0] / 1000:F2} us");
        }
        await _vm.DisposeAsync();
        await _bench.DisposeAsync();
    }
}

using System.Diagnostics;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using Faasten.Sandbox.Vm;

namespace Faasten.Benchmarks.Sandbox;

/// <summary>
/// A new VM, forked from a template (<c>forked</c>: fork into new namespaces, mounts, cgroup
/// placement, capability drop, workload import) or launched fresh (<c>fresh</c>: sh, setpriv,
/// bwrap, python, runtime load, workload import), then Hello and the first invocation. Each
/// iteration is one VM, destroyed outside the measurement; the template is built in setup. The function's
/// first instruction reads CLOCK_MONOTONIC, the clock Stopwatch uses, so the time from
/// StartAsync to the first instruction of handle is printed too (the Hello → start message →
/// handle hop is the difference to "to Hello").
/// </summary>
[Config(typeof(ColdConfig))]
public class VmColdStartBenchmarks
{
    private readonly List<double> _toHelloMs = [];
    private readonly List<double> _toHandleMs = [];
    private SandboxBench _bench = null!;
    private StaticKernel _kernel = null!;
    private VmSpec _spec = null!;
    private IVm? _vm;

    public sealed class ColdConfig : ManualConfig
    {
        public ColdConfig()
        {
            AddJob(Job.Default
                .WithStrategy(RunStrategy.Monitoring)
                .WithLaunchCount(1)
                .WithWarmupCount(3)
                .WithIterationCount(40)
                .WithInvocationCount(1)
                .WithUnrollFactor(1));
            AddColumn(StatisticColumn.P50, StatisticColumn.P95, StatisticColumn.Max);
        }
    }

    /// <summary>noop: nothing imported; pil: the workload imports PIL.Image at load, as gen-thumb does.</summary>
    [Params("noop", "pil")]
    public string Workload { get; set; } = "noop";

    [Params("forked", "fresh")]
    public string Path { get; set; } = "forked";

    [GlobalSetup]
    public void Setup()
    {
        _bench = new SandboxBench(templates: Path == "forked");
        _kernel = new StaticKernel();
        var imports = Workload == "pil" ? "from PIL import Image\n" : "";
        _spec = new VmSpec(_bench.Function(imports + "import time\n\ndef handle(event, cloudcall):\n    return time.monotonic_ns()\n"));
        _bench.Backend.PrepareAsync(_spec).AsTask().GetAwaiter().GetResult();
    }

    [Benchmark]
    public async Task<InvocationOutcome> FreshVmToFirstResult()
    {
        var start = Stopwatch.GetTimestamp();
        _vm = await _bench.Backend.StartAsync(_spec);
        var ready = Stopwatch.GetTimestamp();
        var outcome = await _vm.InvokeAsync(SandboxBench.Request("null"), _kernel);
        SandboxBench.EnsureOk(outcome);
        var handle = JsonSerializer.Deserialize<long>(outcome.Body.Span);
        _toHelloMs.Add((ready - start) * 1000.0 / Stopwatch.Frequency);
        _toHandleMs.Add((handle - start) * 1000.0 / Stopwatch.Frequency);
        return outcome;
    }

    // BenchmarkDotNet 0.14 runs iteration cleanups only as void methods, so this one blocks.
    [IterationCleanup]
    public void Destroy()
    {
        _vm?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _vm = null;
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        Console.WriteLine($"// {Workload} {Path}: StartAsync to Hello      {Summary(_toHelloMs)}");
        Console.WriteLine($"// {Workload} {Path}: StartAsync to handle()   {Summary(_toHandleMs)}");
        await _bench.DisposeAsync();
    }

    private static string Summary(List<double> samples)
    {
        if (samples.Count == 0)
        {
            return "no samples";
        }
        var sorted = samples.Order().ToArray();
        return $"p50 {sorted[sorted.Length / 2]:F2} ms, p95 {sorted[(int)(sorted.Length * 0.95)]:F2} ms, min {sorted[0]:F2} ms (n={sorted.Length})";
    }
}

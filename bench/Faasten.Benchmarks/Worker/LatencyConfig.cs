using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;

namespace Faasten.Benchmarks.Worker;

/// <summary>
/// End-to-end paths through real sandboxes: every iteration is one operation, timed on its own,
/// so the distribution (p50, p99) is of single invocations rather than of batch means.
/// </summary>
public class LatencyConfig : ManualConfig
{
    public LatencyConfig()
        : this(iterations: 2000, warmups: 50)
    {
    }

    protected LatencyConfig(int iterations, int warmups)
    {
        AddJob(Job.Default
            .WithStrategy(RunStrategy.Monitoring)
            .WithLaunchCount(1)
            .WithWarmupCount(warmups)
            .WithIterationCount(iterations)
            .WithInvocationCount(1)
            .WithUnrollFactor(1));
        AddColumn(StatisticColumn.P50, new PercentileColumn(99), StatisticColumn.Max);
    }
}

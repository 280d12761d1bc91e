namespace Faasten.Benchmarks.Worker;

/// <summary>Cold starts are slower and leave VMs to destroy between iterations: fewer of them.</summary>
public sealed class ColdStartConfig() : LatencyConfig(iterations: 200, warmups: 10);

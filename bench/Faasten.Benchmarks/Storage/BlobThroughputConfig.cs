using BenchmarkDotNet.Configs;

namespace Faasten.Benchmarks.Storage;

public sealed class BlobThroughputConfig : ManualConfig
{
    public BlobThroughputConfig() => AddColumn(new ThroughputColumn(BlobStoreBenchmarks.BlobSize));
}

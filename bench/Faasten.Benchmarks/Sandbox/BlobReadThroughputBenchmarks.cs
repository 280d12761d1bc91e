using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Faasten.Benchmarks.Storage;
using Faasten.Sandbox.Vm;

namespace Faasten.Benchmarks.Sandbox;

/// <summary>
/// A function reads a 64 MiB blob through fs_openblob (1 MiB blob_read calls) from a kernel that
/// serves it from memory: the channel's bulk throughput, host to Python.
/// </summary>
[Config(typeof(BlobReadThroughputBenchmarks.ThroughputConfig))]
public class BlobReadThroughputBenchmarks
{
    public const int BlobSize = 64 * 1024 * 1024;

    private SandboxBench _bench = null!;
    private IVm _vm = null!;
    private StaticKernel _kernel = null!;

    public sealed class ThroughputConfig : ManualConfig
    {
        public ThroughputConfig() => AddColumn(new ThroughputColumn(BlobSize));
    }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var blob = new byte[BlobSize];
        new Random(1).NextBytes(blob);
        _kernel = new StaticKernel(blob);
        _bench = new SandboxBench();
        _vm = await _bench.Backend.StartAsync(new VmSpec(_bench.Function(
            """
            def handle(event, cloudcall):
                total = 0
                buffer = bytearray(1 << 20)
                with cloudcall.fs_openblob("bench") as blob:
                    while True:
                        n = blob.readinto(buffer)
                        if not n:
                            return total
                        total += n
            """), MemoryMb: 256));
    }

    [Benchmark]
    public async Task<InvocationOutcome> ReadBlob()
    {
        var outcome = await _vm.InvokeAsync(SandboxBench.Request("null"), _kernel);
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

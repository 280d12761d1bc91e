using Faasten.Labels;
using Faasten.Sandbox.Vm;
using Faasten.Worker.Execution;
using Microsoft.Extensions.Logging.Abstractions;

namespace Faasten.Worker.Tests.Support;

/// <summary>What the VM pool tests share: two gates, labels from text, a pool over fake VMs and a request for one.</summary>
internal static class PoolScene
{
    public static readonly FunctionKey Key = new("gate-a@1", "image-a", "python3", 128);
    public static readonly FunctionKey OtherKey = new("gate-b@1", "image-b", "python3", 128);

    public static Label L(string text) => Label.Parse(text);

    public static VmPool Pool(FakeVmBackend backend, int budgetMb = 1024, TimeProvider? time = null, TimeSpan? idleTimeout = null, int spares = 0) =>
        new(backend, budgetMb, NullLogger.Instance, time, idleTimeout, spares);

    public static ValueTask<VmLease> Acquire(VmPool pool, FunctionKey key, string start, bool nested = false, CancellationToken ct = default) =>
        pool.AcquireAsync(key, L(start), nested, _ => ValueTask.FromResult(new VmSpec("/nonexistent", key.MemoryMb)), ct);
}

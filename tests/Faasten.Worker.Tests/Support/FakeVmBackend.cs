using System.Collections.Concurrent;
using System.Text;
using Faasten.Kernel;
using Faasten.Protocol;
using Faasten.Protocol.Invocations;
using Faasten.Sandbox.Vm;

namespace Faasten.Worker.Tests.Support;

internal delegate ValueTask<InvocationOutcome> FakeBehavior(FakeVm vm, VmInvocation request, ICloudCallHandler handler, CancellationToken cancellationToken);

/// <summary>Makes <see cref="FakeVm"/>s and records what happened to them.</summary>
internal sealed class FakeVmBackend : IVmBackend
{
    private readonly ConcurrentDictionary<FakeVm, bool> _disposed = new();
    private int _started;
    private int _entered;
    private int _failNext;
    private int _overlaps;

    public FakeVmBackend(FakeBehavior? behavior = null)
    {
        Behavior = behavior ?? ((_, _, _, _) => ValueTask.FromResult(Ok("null")));
    }

    public FakeBehavior Behavior { get; set; }

    /// <summary>Makes the next starts fail with this status.</summary>
    public InvocationStatus? FailStarts { get; set; }

    /// <summary>Starts wait for this before they complete (null: at once).</summary>
    public TaskCompletionSource? StartGate { get; set; }

    public ConcurrentQueue<FakeVm> Vms { get; } = new();

    public int Started => Volatile.Read(ref _started);

    /// <summary>Calls of <see cref="StartAsync"/>, including those held at <see cref="StartGate"/> or failed.</summary>
    public int Entered => Volatile.Read(ref _entered);

    /// <summary>Makes the next <paramref name="count"/> starts (after the gate) fail as crashed.</summary>
    public void FailNext(int count) => Volatile.Write(ref _failNext, count);

    public int DisposedCount => _disposed.Count;

    public int Overlaps => Volatile.Read(ref _overlaps);

    public static InvocationOutcome Ok(string json) => new(InvocationStatus.Ok, Encoding.UTF8.GetBytes(json), null);

    public async ValueTask<IVm> StartAsync(VmSpec spec, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _entered);
        if (StartGate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        int left;
        do
        {
            left = Volatile.Read(ref _failNext);
        }
        while (left > 0 && Interlocked.CompareExchange(ref _failNext, left - 1, left) != left);
        if (left > 0)
        {
            throw new VmStartException(InvocationStatus.Crashed, "the workload could not load");
        }

        if (FailStarts is { } status)
        {
            throw new VmStartException(status, "the workload could not load");
        }

        var vm = new FakeVm($"vm{Interlocked.Increment(ref _started)}", spec, this);
        Vms.Enqueue(vm);
        return vm;
    }

    /// <summary>Specs <see cref="PrepareAsync"/> was called with, in order.</summary>
    public ConcurrentQueue<VmSpec> Prepared { get; } = new();

    /// <summary>Set when a prepare begins.</summary>
    public TaskCompletionSource PrepareEntered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Prepares wait for this before they complete (null: at once).</summary>
    public TaskCompletionSource? PrepareGate { get; set; }

    public async ValueTask PrepareAsync(VmSpec spec, CancellationToken cancellationToken = default)
    {
        PrepareEntered.TrySetResult();
        if (PrepareGate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        Prepared.Enqueue(spec);
    }

    public bool IsDisposed(FakeVm vm) => _disposed.ContainsKey(vm);

    public void RecordDisposed(FakeVm vm) => _disposed.TryAdd(vm, true);

    public void RecordOverlap() => Interlocked.Increment(ref _overlaps);
}

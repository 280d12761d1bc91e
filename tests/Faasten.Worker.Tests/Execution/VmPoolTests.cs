using Faasten.Labels;
using Faasten.Sandbox.Vm;
using Faasten.Worker.Execution;
using Faasten.Worker.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Faasten.Worker.Tests.Execution;

public sealed class VmPoolTests
{
    private static readonly FunctionKey Key = new("image-a", "python3", 128);
    private static readonly FunctionKey OtherKey = new("image-b", "python3", 128);

    private static Label L(string text) => Label.Parse(text);

    private static VmPool Pool(FakeVmBackend backend, int budgetMb = 1024) => new(backend, budgetMb, NullLogger.Instance);

    private static ValueTask<VmLease> Acquire(VmPool pool, FunctionKey key, string start, bool nested = false, CancellationToken ct = default) =>
        pool.AcquireAsync(key, L(start), nested, _ => ValueTask.FromResult(new VmSpec("/nonexistent", key.MemoryMb)), ct);

    [Fact]
    public async Task Acquire_EmptyPool_StartsAFreshVmLabeledBottom()
    {
        var backend = new FakeVmBackend();
        await using var pool = Pool(backend);

        var lease = await Acquire(pool, Key, "alice,T");

        Assert.True(lease.Fresh);
        Assert.Equal(Label.Bottom, lease.Label);
        Assert.Equal(1, backend.Started);
        Assert.Equal(128, pool.LiveMemoryMb);
    }

    [Fact]
    public async Task Acquire_ReusesAnIdleVmOnlyIfItsLabelFlowsToTheStartLabel()
    {
        var backend = new FakeVmBackend();
        await using var pool = Pool(backend);
        var first = await Acquire(pool, Key, "T,T");
        await pool.ReturnAsync(first, L("alice,T"));

        var publicRequest = await Acquire(pool, Key, "T,T");
        var aliceRequest = await Acquire(pool, Key, "alice,T");

        Assert.NotSame(first.Vm, publicRequest.Vm);
        Assert.Same(first.Vm, aliceRequest.Vm);
        Assert.Equal(L("alice,T"), aliceRequest.Label);
    }

    [Fact]
    public async Task Acquire_NeverReusesAnotherFunctionsVm()
    {
        var backend = new FakeVmBackend();
        await using var pool = Pool(backend);
        var a = await Acquire(pool, Key, "T,T");
        await pool.ReturnAsync(a, L("T,T"));

        var b = await Acquire(pool, OtherKey, "T,T");

        Assert.NotSame(a.Vm, b.Vm);
        Assert.Equal(2, backend.Started);
    }

    [Fact]
    public async Task Acquire_PrefersTheMostTaintedVmThatFits_KeepingTheLowerOneForLowerRequests()
    {
        var backend = new FakeVmBackend();
        await using var pool = Pool(backend);
        var low = await Acquire(pool, Key, "T,T");
        var high = await Acquire(pool, Key, "T,T");
        await pool.ReturnAsync(high, L("alice,T"));
        await pool.ReturnAsync(low, L("T,T"));

        var forAlice = await Acquire(pool, Key, "alice&bob,T");
        var forPublic = await Acquire(pool, Key, "T,T");

        Assert.Same(high.Vm, forAlice.Vm);
        Assert.Same(low.Vm, forPublic.Vm);
        Assert.Equal(2, backend.Started);
    }

    [Fact]
    public async Task Acquire_AVmIsNeverHandedToTwoInvocations()
    {
        var backend = new FakeVmBackend();
        await using var pool = Pool(backend);
        var leases = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Acquire(pool, Key, "T,T").AsTask()));
        foreach (var lease in leases)
        {
            await pool.ReturnAsync(lease, L("T,T"));
        }

        var again = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Acquire(pool, Key, "T,T").AsTask()));

        Assert.Equal(8, again.Select(l => l.Vm).Distinct().Count());
        Assert.Equal(8, backend.Started);
    }

    [Fact]
    public async Task Acquire_OverBudget_EvictsTheLeastRecentlyUsedIdleVm()
    {
        var backend = new FakeVmBackend();
        await using var pool = Pool(backend, budgetMb: 256);
        var older = await Acquire(pool, Key, "T,T");
        var newer = await Acquire(pool, Key, "T,T");
        await pool.ReturnAsync(older, L("T,T"));
        await pool.ReturnAsync(newer, L("T,T"));

        var other = await Acquire(pool, OtherKey, "T,T");

        Assert.True(((FakeVm)older.Vm).Destroyed);
        Assert.False(((FakeVm)newer.Vm).Destroyed);
        Assert.Equal(256, pool.LiveMemoryMb);
        Assert.Equal(2, pool.LiveVms);
        await pool.ReturnAsync(other, L("T,T"));
    }

    [Fact]
    public async Task Acquire_TopLevelWaitsWhileBusyVmsHoldTheBudget_ThenProceeds()
    {
        var backend = new FakeVmBackend();
        await using var pool = Pool(backend, budgetMb: 128);
        var busy = await Acquire(pool, Key, "T,T");

        var waiting = Acquire(pool, OtherKey, "T,T").AsTask();
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);

        await pool.ReturnAsync(busy, L("T,T"));
        var lease = await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(((FakeVm)busy.Vm).Destroyed);
        Assert.Equal(OtherKey, lease.Key);
        Assert.Equal(128, pool.LiveMemoryMb);
    }

    [Fact]
    public async Task Acquire_WaitingCanBeCancelled()
    {
        var backend = new FakeVmBackend();
        await using var pool = Pool(backend, budgetMb: 128);
        _ = await Acquire(pool, Key, "T,T");
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Acquire(pool, OtherKey, "T,T", ct: cts.Token).AsTask());
        Assert.Equal(128, pool.LiveMemoryMb);
    }

    [Fact]
    public async Task Acquire_NestedCallOverBudget_StartsAtOnceInsteadOfWaitingOnItsCallers()
    {
        var backend = new FakeVmBackend();
        await using var pool = Pool(backend, budgetMb: 256);
        var callers = new[] { await Acquire(pool, Key, "T,T"), await Acquire(pool, Key, "T,T", nested: true) };

        var callee = await Acquire(pool, Key, "T,T", nested: true).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(callee.Fresh);
        Assert.Equal(384, pool.LiveMemoryMb);
        await pool.ReturnAsync(callee, L("T,T"));
        foreach (var caller in callers)
        {
            await pool.ReturnAsync(caller, L("T,T"));
        }

        // Back under budget as soon as something needs room: the idle surplus is evicted.
        _ = await Acquire(pool, OtherKey, "T,T");
        Assert.Equal(256, pool.LiveMemoryMb);
    }

    [Fact]
    public async Task Acquire_SkipsAndForgetsAnIdleVmThatDied()
    {
        var backend = new FakeVmBackend();
        await using var pool = Pool(backend);
        var lease = await Acquire(pool, Key, "T,T");
        await pool.ReturnAsync(lease, L("T,T"));
        ((FakeVm)lease.Vm).Kill();

        var next = await Acquire(pool, Key, "T,T");

        Assert.NotSame(lease.Vm, next.Vm);
        Assert.True(backend.IsDisposed((FakeVm)lease.Vm));
        Assert.Equal(1, pool.LiveVms);
        Assert.Equal(128, pool.LiveMemoryMb);
    }

    [Fact]
    public async Task StartFailure_ReleasesTheReservedMemory()
    {
        var backend = new FakeVmBackend { FailStarts = InvocationStatus.Crashed };
        await using var pool = Pool(backend, budgetMb: 128);

        var e = await Assert.ThrowsAsync<VmStartException>(() => Acquire(pool, Key, "T,T").AsTask());

        Assert.Equal(InvocationStatus.Crashed, e.Status);
        Assert.Equal(0, pool.LiveMemoryMb);
        backend.FailStarts = null;
        Assert.True((await Acquire(pool, Key, "T,T")).Fresh);
    }

    [Fact]
    public async Task EvictIdle_DestroysIdleVmsOnly_AndThePoolKeepsWorking()
    {
        var backend = new FakeVmBackend();
        await using var pool = Pool(backend);
        var busy = await Acquire(pool, Key, "T,T");
        var idle = await Acquire(pool, Key, "T,T");
        await pool.ReturnAsync(idle, L("T,T"));

        await pool.EvictIdleAsync();

        Assert.True(((FakeVm)idle.Vm).Destroyed);
        Assert.False(((FakeVm)busy.Vm).Destroyed);
        Assert.Equal(128, pool.LiveMemoryMb);
        Assert.True((await Acquire(pool, Key, "T,T")).Fresh);
    }

    [Fact]
    public async Task Destroy_FreesItsMemory_AndDisposeDestroysIdleVms()
    {
        var backend = new FakeVmBackend();
        var pool = Pool(backend);
        var failed = await Acquire(pool, Key, "T,T");
        var idle = await Acquire(pool, Key, "T,T");
        await pool.ReturnAsync(idle, L("T,T"));

        await pool.DestroyAsync(failed);
        Assert.Equal(128, pool.LiveMemoryMb);
        await pool.DisposeAsync();

        Assert.Equal(0, pool.LiveMemoryMb);
        Assert.Equal(0, pool.LiveVms);
        Assert.True(((FakeVm)idle.Vm).Destroyed);
    }
}

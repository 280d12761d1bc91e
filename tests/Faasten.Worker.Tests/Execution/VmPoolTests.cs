using Faasten.Labels;
using Faasten.Protocol.Invocations;
using Faasten.Sandbox.Vm;
using Faasten.Tests.Common;
using Faasten.Worker.Execution;
using Faasten.Worker.Tests.Support;
using static Faasten.Worker.Tests.Support.PoolScene;

namespace Faasten.Worker.Tests.Execution;

public sealed class VmPoolTests
{
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
    public async Task Acquire_ReusesOnlyAVmTaggedExactlyTheStartLabel()
    {
        var backend = new FakeVmBackend();
        await using var pool = Pool(backend);
        var publicVm = await Acquire(pool, Key, "T,T");
        var aliceVm = await Acquire(pool, Key, "T,T");
        await pool.ReturnAsync(publicVm, L("T,T"));
        await pool.ReturnAsync(aliceVm, L("alice,T"));

        // Neither lower (public ⊑ alice&bob) nor higher than the start label serves it.
        var aliceAndBob = await Acquire(pool, Key, "alice&bob,T");
        var forAlice = await Acquire(pool, Key, "alice,T");
        var forPublic = await Acquire(pool, Key, "T,T");

        Assert.True(aliceAndBob.Fresh);
        Assert.Same(aliceVm.Vm, forAlice.Vm);
        Assert.Same(publicVm.Vm, forPublic.Vm);
        Assert.Equal(3, backend.Started);
    }

    /// <summary>
    /// Issue 12 item 4, as the attack: bob warms one public VM per gate; his app, run by alice,
    /// makes a nested call at alice's label to gate k for each 1-bit of her secret. Afterwards
    /// bob calls every gate at public and reads whether he got his old VM back. Under the old
    /// reuse rule (any VM whose tag flows to the start label) alice's calls consumed and
    /// retagged bob's VMs, and the pattern of fresh VMs spelled out her secret.
    /// </summary>
    [Fact]
    public async Task Attack_ASecretRequestNeverConsumesAPublicVm_SoBobsWarmVmsSpellNothing()
    {
        var backend = new FakeVmBackend();
        await using var pool = Pool(backend, budgetMb: 64 * 128);
        var gates = Enumerable.Range(0, 16).Select(k => new FunctionKey($"bob-gate-{k}@1", "image", "python3", 128)).ToArray();
        var warmed = new IVm[gates.Length];
        for (var k = 0; k < gates.Length; k++)
        {
            var lease = await Acquire(pool, gates[k], "T,T");
            warmed[k] = lease.Vm;
            await pool.ReturnAsync(lease, L("T,T"));
        }

        const int secret = 0b1011_0010_1110_0101;
        for (var k = 0; k < gates.Length; k++)
        {
            if ((secret >> k & 1) == 1)
            {
                var aliceCall = await Acquire(pool, gates[k], "alice,T", nested: true);
                await pool.ReturnAsync(aliceCall, L("alice,T"));
            }
        }

        var observed = 0;
        for (var k = 0; k < gates.Length; k++)
        {
            var bobCall = await Acquire(pool, gates[k], "T,T");
            Assert.Same(warmed[k], bobCall.Vm);
            observed |= bobCall.Fresh ? 1 << k : 0;
            await pool.ReturnAsync(bobCall, L("T,T"));
        }

        Assert.Equal(0, observed);
    }

    /// <summary>
    /// Issue 12 item 5, as the attack: two gates over the same image (alice's, which declassifies
    /// a little, and bob's) must never share a VM, whatever the labels.
    /// </summary>
    [Fact]
    public async Task Attack_TwoGatesOverOneImageNeverShareAVm()
    {
        var backend = new FakeVmBackend();
        await using var pool = Pool(backend);
        var aliceGate = new FunctionKey("alice-gate@1", "same-image", "python3", 128);
        var bobGate = new FunctionKey("bob-gate@1", "same-image", "python3", 128);
        var alice = await Acquire(pool, aliceGate, "T,T");
        await pool.ReturnAsync(alice, L("T,T"));

        var bob = await Acquire(pool, bobGate, "T,T");

        Assert.NotSame(alice.Vm, bob.Vm);
        Assert.True(bob.Fresh);
    }

    [Fact]
    public async Task Acquire_AnUpdatedGate_GetsNewVms()
    {
        var backend = new FakeVmBackend();
        await using var pool = Pool(backend);
        var before = await Acquire(pool, Key, "T,T");
        await pool.ReturnAsync(before, L("T,T"));

        var after = await Acquire(pool, Key with { Gate = "gate-a@2" }, "T,T");

        Assert.NotSame(before.Vm, after.Vm);
    }

    [Fact]
    public async Task MemoryPressure_ASecretRequestNeverEvictsAPublicVm_ItWaits()
    {
        var backend = new FakeVmBackend();
        await using var pool = Pool(backend, budgetMb: 256);
        var bobVm = await Acquire(pool, Key, "T,T");
        var aliceVm = await Acquire(pool, OtherKey, "T,T");
        await pool.ReturnAsync(bobVm, L("T,T"));
        await pool.ReturnAsync(aliceVm, L("alice,T"));

        // A request at alice may evict alice's idle VM (whoever finds it gone knows what alice
        // knows) but not bob's public one.
        var first = await Acquire(pool, new FunctionKey("gate-c@1", "image-c", "python3", 128), "alice,T");
        Assert.True(((FakeVm)aliceVm.Vm).Destroyed);
        Assert.False(((FakeVm)bobVm.Vm).Destroyed);

        var second = Acquire(pool, new FunctionKey("gate-d@1", "image-d", "python3", 128), "alice,T").AsTask();
        await Task.Delay(50);
        Assert.False(second.IsCompleted);
        Assert.False(((FakeVm)bobVm.Vm).Destroyed);

        // When the busy VM finishes, its memory is what the waiter gets; bob's VM survives.
        await pool.DestroyAsync(first);
        _ = await second.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(((FakeVm)bobVm.Vm).Destroyed);
        Assert.Same(bobVm.Vm, (await Acquire(pool, Key, "T,T")).Vm);
    }

    [Fact]
    public async Task MemoryPressure_APublicRequestMayEvictASecretVm()
    {
        var backend = new FakeVmBackend();
        await using var pool = Pool(backend, budgetMb: 128);
        var aliceVm = await Acquire(pool, Key, "T,T");
        await pool.ReturnAsync(aliceVm, L("alice,T"));

        var bob = await Acquire(pool, OtherKey, "T,T");

        Assert.True(((FakeVm)aliceVm.Vm).Destroyed);
        Assert.True(bob.Fresh);
    }

    [Fact]
    public async Task IdleVmsExpireByTimeAlone()
    {
        var clock = new ManualTimeProvider();
        var backend = new FakeVmBackend();
        await using var pool = Pool(backend, time: clock, idleTimeout: TimeSpan.FromMinutes(10));
        var old = await Acquire(pool, Key, "T,T");
        await pool.ReturnAsync(old, L("T,T"));
        clock.Advance(TimeSpan.FromMinutes(6));
        var recent = await Acquire(pool, OtherKey, "alice,T");
        await pool.ReturnAsync(recent, L("alice,T"));

        clock.Advance(TimeSpan.FromMinutes(5));
        await pool.ExpireIdleAsync();

        Assert.True(((FakeVm)old.Vm).Destroyed);
        Assert.False(((FakeVm)recent.Vm).Destroyed);
        Assert.Equal(1, pool.IdleVms);
        Assert.Equal(128, pool.LiveMemoryMb);
    }

    [Fact]
    public async Task MemoryPressure_AWaitingRequestProceedsOnceTheVmsItMayNotEvictExpire()
    {
        var clock = new ManualTimeProvider();
        var backend = new FakeVmBackend();
        await using var pool = Pool(backend, budgetMb: 128, time: clock, idleTimeout: TimeSpan.FromMinutes(1));
        var bobVm = await Acquire(pool, Key, "T,T");
        await pool.ReturnAsync(bobVm, L("T,T"));

        var alice = Acquire(pool, OtherKey, "alice,T").AsTask();
        await Task.Delay(50);
        Assert.False(alice.IsCompleted);

        clock.Advance(TimeSpan.FromMinutes(1));
        await pool.ExpireIdleAsync();

        Assert.True((await alice.WaitAsync(TimeSpan.FromSeconds(10))).Fresh);
        Assert.True(((FakeVm)bobVm.Vm).Destroyed);
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

    /// <summary>
    /// Issue 12 item 10: a chain of nested calls of big VMs reserved 32 GB against a 4 GB budget.
    /// A nested call that does not fit is refused at once, neither waiting on its own callers
    /// nor overcommitting.
    /// </summary>
    [Fact]
    public async Task Acquire_NestedCallOverBudget_IsRefusedAtOnce()
    {
        var backend = new FakeVmBackend();
        await using var pool = Pool(backend, budgetMb: 256);
        var callers = new[] { await Acquire(pool, Key, "T,T"), await Acquire(pool, Key, "T,T", nested: true) };

        var e = await Assert.ThrowsAsync<VmStartException>(() => Acquire(pool, Key, "T,T", nested: true).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal(InvocationStatus.OutOfMemory, e.Status);
        Assert.Equal(256, pool.LiveMemoryMb);
        Assert.Equal(2, backend.Started);
        foreach (var caller in callers)
        {
            await pool.ReturnAsync(caller, L("T,T"));
        }

        // With the callers done, a nested call fits again (evicting their idle VMs).
        _ = await Acquire(pool, OtherKey, "T,T", nested: true);
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
    public async Task Acquire_ReusingAWarmVm_StillDestroysADeadOneFoundOnTheWay()
    {
        var backend = new FakeVmBackend();
        await using var pool = Pool(backend);
        var warm = await Acquire(pool, Key, "T,T");
        var dying = await Acquire(pool, Key, "T,T");
        await pool.ReturnAsync(warm, L("T,T"));
        await pool.ReturnAsync(dying, L("T,T")); // the most recent: looked at first, found dead
        ((FakeVm)dying.Vm).Kill();

        var next = await Acquire(pool, Key, "T,T");

        Assert.Same(warm.Vm, next.Vm);
        Assert.True(backend.IsDisposed((FakeVm)dying.Vm));
        Assert.Equal(1, pool.LiveVms);
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

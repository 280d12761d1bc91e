using Faasten.Labels;
using Faasten.Protocol.Invocations;
using Faasten.Sandbox.Vm;
using Faasten.Tests.Common;
using Faasten.Worker.Execution;
using Faasten.Worker.Tests.Support;
using static Faasten.Worker.Tests.Support.PoolScene;

namespace Faasten.Worker.Tests.Execution;

/// <summary>
/// Spare VMs: started in the background, once its run is over, for a gate and start label that
/// needed a new VM; taken only by a request at exactly that label; making room only as a
/// request at that label could; evicted first by anyone short of memory.
/// </summary>
public sealed class VmPoolSpareTests
{
    // Spares on unless a test says otherwise.
    private static VmPool Pool(FakeVmBackend backend, int spares = 1, int budgetMb = 1024, TimeProvider? time = null, TimeSpan? idleTimeout = null) =>
        PoolScene.Pool(backend, budgetMb, time, idleTimeout, spares);

    private static Task Quiet(VmPool pool, int idleSpares) =>
        Poll.UntilAsync(() => pool.StartingSpares == 0 && pool.IdleSpares == idleSpares);

    // One run of Key at 'start' on a new VM, and the spare it leaves, once that is up.
    private static async Task LeaveASpareAsync(VmPool pool, string start)
    {
        await pool.DestroyAsync(await Acquire(pool, Key, start));
        await Quiet(pool, idleSpares: 1);
    }

    [Fact]
    public async Task AfterAColdStart_TheNextRequestAtThatLabel_TakesASpareThatHasRunNothing()
    {
        var backend = new FakeVmBackend();
        await using var pool = Pool(backend);

        var first = await Acquire(pool, Key, "alice,T");
        Assert.Equal(1, backend.Entered); // the spare waits until the run is over: it would compete for the cores
        await pool.ReturnAsync(first, L("fresh/1,T"));
        await Quiet(pool, idleSpares: 1);
        Assert.Equal(2, backend.Started);
        Assert.Equal(256, pool.LiveMemoryMb);

        var second = await Acquire(pool, Key, "alice,T");
        Assert.True(second.Spare);
        Assert.True(second.Fresh);
        Assert.Equal(Label.Bottom, second.Label); // it has run nothing: it adds nothing to L
        Assert.NotSame(first.Vm, second.Vm);
        Assert.Equal(0, ((FakeVm)second.Vm).Invocations);

        // Running on the spare asks for the next one.
        await pool.DestroyAsync(second);
        await Quiet(pool, idleSpares: 1);
        Assert.Equal(3, backend.Started);
    }

    [Fact]
    public async Task NoSpares_WhenTurnedOff()
    {
        var backend = new FakeVmBackend();
        await using var pool = Pool(backend, spares: 0);

        await pool.DestroyAsync(await Acquire(pool, Key, "alice,T"));
        var second = await Acquire(pool, Key, "alice,T");

        Assert.False(second.Spare);
        Assert.Equal(2, backend.Started);
        Assert.Equal(0, pool.IdleSpares);
    }

    [Fact]
    public async Task Attack_ASpareServesOnlyItsOwnLabel_NeitherLowerNorHigherNorAnotherGate()
    {
        var backend = new FakeVmBackend();
        await using var pool = Pool(backend, budgetMb: 4096);
        await LeaveASpareAsync(pool, "alice,T");
        var spare = backend.Vms.Last();

        foreach (var (key, start) in new[] { (Key, "T,T"), (Key, "alice&bob,T"), (Key, "bob,T"), (OtherKey, "alice,T") })
        {
            var lease = await Acquire(pool, key, start);
            Assert.False(lease.Spare);
            Assert.NotSame(spare, lease.Vm);
        }

        Assert.Same(spare, (await Acquire(pool, Key, "alice,T")).Vm);
    }

    [Fact]
    public async Task AWarmVmIsPreferredOverASpare()
    {
        var backend = new FakeVmBackend();
        await using var pool = Pool(backend);
        var first = await Acquire(pool, Key, "T,T");
        await pool.ReturnAsync(first, L("T,T"));
        await Quiet(pool, idleSpares: 1);

        var next = await Acquire(pool, Key, "T,T");

        Assert.Same(first.Vm, next.Vm);
        Assert.False(next.Fresh);
        Assert.Equal(1, pool.IdleSpares);
    }

    /// <summary>
    /// The counter attack of <see cref="VmPoolTests.Attack_ASecretRequestNeverConsumesAPublicVm_SoBobsWarmVmsSpellNothing"/>
    /// on spares: bob leaves a spare on each of his gates; alice's secret decides which gates her
    /// calls hit. What bob then finds on each gate (a spare or a new VM) must not depend on it.
    /// </summary>
    [Fact]
    public async Task Attack_ASecretRequestNeverConsumesAPublicSpare_SoBobsSparesSpellNothing()
    {
        async Task<int> Observe(int secret)
        {
            var backend = new FakeVmBackend();
            await using var pool = Pool(backend, budgetMb: 64 * 128);
            var gates = Enumerable.Range(0, 16).Select(k => new FunctionKey($"bob-gate-{k}@1", "image", "python3", 128)).ToArray();
            foreach (var gate in gates)
            {
                await pool.DestroyAsync(await Acquire(pool, gate, "T,T")); // bob's cold start leaves a spare
            }

            await Quiet(pool, idleSpares: gates.Length);
            for (var k = 0; k < gates.Length; k++)
            {
                if ((secret >> k & 1) == 1)
                {
                    await pool.DestroyAsync(await Acquire(pool, gates[k], "alice,T", nested: true));
                }
            }

            await Quiet(pool, idleSpares: gates.Length + int.PopCount(secret));
            var observed = 0;
            for (var k = 0; k < gates.Length; k++)
            {
                var bob = await Acquire(pool, gates[k], "T,T");
                observed |= bob.Spare ? 1 << k : 0;
            }

            return observed;
        }

        Assert.Equal(0xFFFF, await Observe(0b1011_0010_1110_0101));
        Assert.Equal(0xFFFF, await Observe(0));
    }

    /// <summary>
    /// A spare for L makes room as a request at L would: it may evict an idle VM whose tag L flows
    /// to (whoever misses it knew everything L knows), never one tagged with a label L does not
    /// flow to.
    /// </summary>
    [Theory]
    [InlineData("T,T", true)]
    [InlineData("bob,T", false)]
    public async Task ASpare_EvictsOnlyWhatARequestAtItsLabelMay(string start, bool evicts)
    {
        var backend = new FakeVmBackend();
        await using var pool = Pool(backend, budgetMb: 256);
        var alice = await Acquire(pool, OtherKey, start);
        _ = await Acquire(pool, Key, "T,T"); // busy: the budget is full

        await pool.ReturnAsync(alice, L("alice,T")); // it read alice's data; its run is over, so its spare starts
        await Quiet(pool, idleSpares: evicts ? 1 : 0);

        Assert.Equal(evicts, ((FakeVm)alice.Vm).Destroyed);
        Assert.Equal(256, pool.LiveMemoryMb);
    }

    /// <summary>Nor does a spare evict another spare, or the warm VM of its own gate and label.</summary>
    [Fact]
    public async Task ASpare_NeverEvictsAnotherSpare_NorAWarmVmOfItsOwnLabel()
    {
        var backend = new FakeVmBackend();
        await using var pool = Pool(backend, budgetMb: 3 * 128);
        await LeaveASpareAsync(pool, "T,T");
        var publicSpare = (FakeVm)backend.Vms.Last();
        var bob = await Acquire(pool, OtherKey, "bob,T");
        _ = await Acquire(pool, OtherKey, "carol,T"); // busy: the budget is full

        await pool.ReturnAsync(bob, L("bob,T"));
        await Quiet(pool, idleSpares: 1);

        Assert.False(publicSpare.Destroyed);
        Assert.False(((FakeVm)bob.Vm).Destroyed);
        Assert.Equal(4, backend.Started);
    }

    /// <summary>
    /// Spares are evicted by any request short of memory, whatever their tag: alice's spare is
    /// never why bob (whose label does not flow to hers) waits.
    /// </summary>
    [Fact]
    public async Task AnyRequestShortOfMemory_EvictsSparesFirst_WhateverTheirLabel()
    {
        var backend = new FakeVmBackend();
        await using var pool = Pool(backend, budgetMb: 256);
        var alice = await Acquire(pool, Key, "alice,T");
        await pool.ReturnAsync(alice, L("alice,T"));
        await Quiet(pool, idleSpares: 1);
        var aliceSpare = (FakeVm)backend.Vms.Last();

        var bob = await Acquire(pool, OtherKey, "bob,T").AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(bob.Fresh);
        Assert.True(aliceSpare.Destroyed);
        Assert.False(((FakeVm)alice.Vm).Destroyed);
    }

    [Fact]
    public async Task SparesPerLabel_AreBounded()
    {
        var backend = new FakeVmBackend();
        await using var pool = Pool(backend, spares: 2);
        for (var i = 0; i < 5; i++)
        {
            await pool.ReturnAsync(await Acquire(pool, Key, "T,T"), L($"fresh/{i},T"));
            await Quiet(pool, idleSpares: 2);
        }

        Assert.Equal(2, pool.IdleSpares);
        Assert.Equal(5 + 2, pool.LiveVms);
    }

    [Fact]
    public async Task ARequestWaitsForASpareAlreadyStarting_InsteadOfStartingItsOwn()
    {
        var backend = new FakeVmBackend();
        await using var pool = Pool(backend);
        await LeaveASpareAsync(pool, "T,T");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        backend.StartGate = gate;
        await pool.DestroyAsync(await Acquire(pool, Key, "T,T")); // runs on the spare; the next one is held at the gate
        await Poll.UntilAsync(() => pool.StartingSpares == 1 && backend.Entered == 3);

        var waiting = Acquire(pool, Key, "T,T").AsTask();
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);
        backend.StartGate = null;
        gate.SetResult();

        var lease = await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(lease.Spare);
        Assert.Equal(3, backend.Entered); // it started nothing of its own
        await pool.DestroyAsync(lease);
        await Quiet(pool, idleSpares: 1);
        Assert.Equal(4, backend.Entered); // only the spare after it
    }

    [Fact]
    public async Task ASpareThatFailsToStart_GivesItsMemoryBack_AndItsClaimantStartsItsOwn()
    {
        var backend = new FakeVmBackend();
        await using var pool = Pool(backend);
        await LeaveASpareAsync(pool, "T,T");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        backend.StartGate = gate;
        await pool.DestroyAsync(await Acquire(pool, Key, "T,T")); // the next spare is held at the gate
        await Poll.UntilAsync(() => pool.StartingSpares == 1);
        var claimant = Acquire(pool, Key, "T,T").AsTask();
        await Task.Delay(50);
        Assert.False(claimant.IsCompleted);

        backend.FailNext(1); // the held spare fails once the gate opens
        backend.StartGate = null;
        gate.SetResult();

        var lease = await claimant.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(lease.Spare);
        Assert.True(lease.Fresh);
        await Quiet(pool, idleSpares: 0);
        Assert.Equal(128, pool.LiveMemoryMb); // the claimant's own: the failed spare's memory came back
    }

    [Fact]
    public async Task SparesExpireByTimeAlone()
    {
        var clock = new ManualTimeProvider();
        var backend = new FakeVmBackend();
        await using var pool = Pool(backend, time: clock, idleTimeout: TimeSpan.FromMinutes(10));
        await LeaveASpareAsync(pool, "T,T");
        var spare = (FakeVm)backend.Vms.Last();

        clock.Advance(TimeSpan.FromMinutes(10));
        await pool.ExpireIdleAsync();

        Assert.True(spare.Destroyed);
        Assert.Equal(0, pool.IdleSpares);
        Assert.Equal(0, pool.LiveMemoryMb);
    }

    [Fact]
    public async Task DisposingThePool_StopsAndDestroysSparesStillStarting()
    {
        var backend = new FakeVmBackend();
        var pool = Pool(backend);
        await LeaveASpareAsync(pool, "T,T");
        var busy = await Acquire(pool, OtherKey, "T,T");
        backend.StartGate = new TaskCompletionSource(); // never opened: only the pool's stop ends the start
        await pool.DestroyAsync(await Acquire(pool, Key, "T,T"));
        await Poll.UntilAsync(() => pool.StartingSpares == 1);

        await pool.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(0, pool.StartingSpares);
        Assert.Equal(0, pool.IdleVms);
        Assert.Equal(3, backend.Started); // the held start never produced a VM
        Assert.False(((FakeVm)busy.Vm).Destroyed); // a busy VM is its holder's to return
    }

    /// <summary>
    /// A nested call never waits for memory its callers hold, but a spare still starting holds
    /// memory only for a moment: the call waits for it to go idle and evicts it rather than fail.
    /// </summary>
    [Fact]
    public async Task ANestedCall_WaitsForASpareStillStarting_RatherThanFailOutOfMemory()
    {
        var backend = new FakeVmBackend();
        await using var pool = Pool(backend, budgetMb: 2 * 128);
        await LeaveASpareAsync(pool, "T,T");
        var onSpare = await Acquire(pool, Key, "T,T");
        _ = await Acquire(pool, OtherKey, "carol,T"); // busy: the budget is full
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        backend.StartGate = gate;
        await pool.ReturnAsync(onSpare, L("bob,T")); // the next spare evicts it (public may) and is held at the gate
        await Poll.UntilAsync(() => pool.StartingSpares == 1);
        Assert.Equal(2 * 128, pool.LiveMemoryMb);

        var nested = Acquire(pool, new FunctionKey("gate-c@1", "image-c", "python3", 128), "dave,T", nested: true).AsTask();
        await Task.Delay(50);
        Assert.False(nested.IsCompleted);
        backend.StartGate = null;
        gate.SetResult();

        var lease = await nested.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(lease.Fresh);
        Assert.Equal(0, pool.IdleSpares);
    }
}

using Faasten.Labels;
using Faasten.Protocol.Invocations;
using Faasten.Tests.Common;
using Faasten.Worker.Scheduling;
using Faasten.Worker.Tests.Support;

namespace Faasten.Worker.Tests.Scheduling;

/// <summary>
/// Issue 12 item 10, as the attack: bob floods the queue; alice must still get in, and must not
/// wait behind all of bob's requests.
/// </summary>
public sealed class InvokerShareTests
{
    private static InvocationRequest Request(string id, string invoker, string gate = "g", int depth = 0) => new()
    {
        Id = id,
        GatePath = gate,
        Payload = "{}"u8.ToArray(),
        InvokerPrivilege = Component.FromPrincipal(Principal.Parse(invoker)),
        PayloadLabel = Label.Public,
        Depth = depth,
    };

    private static InvocationReply Ok(string body) => InvocationReply.Public("", InvocationStatus.Ok, body);

    [Fact]
    public async Task BobFillsHisShare_IsRefusedAlone_AliceStillGetsIn()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runner = new GatedRunner(gate.Task);
        await using var scheduler = new InProcessScheduler(runner, new SchedulerOptions { Slots = 1, QueueCapacity = 100, MaxQueuedPerInvoker = 3 });

        var running = scheduler.InvokeAsync(Request("bob-0", "bob")).AsTask();
        // bob-0 holds the slot, not a place in bob's share (the dispatcher may be the one to start it).
        await Poll.UntilAsync(() => scheduler.Running == 1 && scheduler.Queued == 0);
        var bobs = Enumerable.Range(1, 3).Select(i => scheduler.InvokeAsync((Request($"bob-{i}", "bob")) with { Sync = false }).AsTask()).ToArray();
        var flood = await Task.WhenAll(Enumerable.Range(4, 50).Select(i => scheduler.InvokeAsync((Request($"bob-{i}", "bob")) with { Sync = false }).AsTask()));
        var alice = await scheduler.InvokeAsync((Request("alice-1", "alice")) with { Sync = false });

        Assert.All(await Task.WhenAll(bobs), r => Assert.Equal(InvocationStatus.Pending, r.Status));
        Assert.All(flood, r => Assert.Equal(InvocationStatus.QueueFull, r.Status));
        Assert.Equal(InvocationStatus.Pending, alice.Status);
        Assert.Equal(4, scheduler.Queued);

        gate.SetResult();
        Assert.Equal(InvocationStatus.Ok, (await running).Status);
        await Poll.UntilAsync(() => scheduler.TryGetResult("alice-1")!.Status == InvocationStatus.Ok);
        await Poll.UntilAsync(() => scheduler.TryGetResult("bob-3")!.Status == InvocationStatus.Ok);

        // A share frees as its requests run.
        Assert.Equal(InvocationStatus.Ok, (await scheduler.InvokeAsync(Request("bob-again", "bob"))).Status);
    }

    [Fact]
    public async Task QueuedInvokers_AreServedInTurn_NotFirstComeFirstServed()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runner = new GatedRunner(gate.Task);
        await using var scheduler = new InProcessScheduler(runner, new SchedulerOptions { Slots = 1 });

        var all = new List<Task<InvocationReply>> { scheduler.InvokeAsync(Request("bob-0", "bob")).AsTask() };
        // bob-0 holds the slot before the rest queue (the dispatcher may be the one to start it).
        await Poll.UntilAsync(() => scheduler.Running == 1 && scheduler.Queued == 0);
        all.AddRange(Enumerable.Range(1, 5).Select(i => scheduler.InvokeAsync(Request($"bob-{i}", "bob")).AsTask()));
        all.Add(scheduler.InvokeAsync(Request("alice-1", "alice")).AsTask());
        Assert.Equal(6, scheduler.Queued);

        gate.SetResult();
        await Task.WhenAll(all);

        // bob-0 was running; then bob and alice take turns, so alice is not behind bob's five.
        Assert.Equal(["bob-0", "bob-1", "alice-1", "bob-2", "bob-3", "bob-4", "bob-5"], runner.Started);
    }

    /// <summary>
    /// The running limit: bob's long invocations may hold at most two of three slots, so alice's
    /// request runs at once although bob has more waiting; bob's next starts when one of his ends.
    /// </summary>
    [Fact]
    public async Task BobAtHisRunningLimit_LeavesASlotForAlice()
    {
        var release = new System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource>();
        TaskCompletionSource Gate(string id) => release.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        var runner = new DelegateRunner(async (r, _) =>
        {
            await (r.Id.StartsWith("bob", StringComparison.Ordinal) ? Gate(r.Id).Task : Task.CompletedTask);
            return Ok(r.Id);
        });
        await using var scheduler = new InProcessScheduler(runner, new SchedulerOptions { Slots = 3, MaxRunningPerInvoker = 2 });

        var bobs = Enumerable.Range(0, 4).Select(i => scheduler.InvokeAsync(Request($"bob-{i}", "bob")).AsTask()).ToArray();
        await Poll.UntilAsync(() => scheduler.Running == 2 && scheduler.Queued == 2);

        var alice = await scheduler.InvokeAsync(Request("alice-1", "alice")).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(InvocationStatus.Ok, alice.Status);
        Assert.Equal(2, scheduler.Running);
        Assert.Equal(2, scheduler.Queued);

        Gate("bob-0").SetResult();
        await Poll.UntilAsync(() => scheduler.Queued == 1 && scheduler.Running == 2);
        foreach (var i in Enumerable.Range(1, 3))
        {
            Gate($"bob-{i}").SetResult();
        }

        Assert.All(await Task.WhenAll(bobs).WaitAsync(TimeSpan.FromSeconds(10)), r => Assert.Equal(InvocationStatus.Ok, r.Status));
    }

    [Fact]
    public async Task NestedSyncChain_IsNotRefused_WhenItsInvokersShareIsFull()
    {
        const int Depth = 6;
        var goOn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        InProcessScheduler? scheduler = null;
        var runner = new DelegateRunner(async (r, ct) =>
        {
            var depth = int.Parse(r.GatePath, System.Globalization.CultureInfo.InvariantCulture);
            if (depth == 1)
            {
                await goOn.Task;
            }

            if (depth == Depth)
            {
                return Ok("bottom");
            }

            // Each link calls the next with the same privilege, as a gate calling itself does.
            var nested = Request(r.Id + "/" + (depth + 1), "bob", gate: (depth + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), depth: depth + 1);
            return await scheduler!.InvokeAsync(nested, ct);
        });
        await using var s = new InProcessScheduler(runner, new SchedulerOptions { Slots = 1, MaxQueuedPerInvoker = 1 });
        scheduler = s;
        var top = Request("top", "bob", gate: "0");
        var chain = s.InvokeAsync(top).AsTask();
        await Poll.UntilAsync(() => s.Running >= 1 && s.Queued == 0); // the nested links run in the lent slot, not queued

        // While the chain holds the only slot, bob's queued request fills his share.
        Assert.Equal(InvocationStatus.Pending, (await s.InvokeAsync((Request("late", "bob")) with { Sync = false })).Status);
        Assert.Equal(InvocationStatus.QueueFull, (await s.InvokeAsync((Request("later", "bob")) with { Sync = false })).Status);
        goOn.SetResult();

        var reply = await chain;
        Assert.Equal(InvocationStatus.Ok, reply.Status);
        Assert.Equal("bottom", reply.BodyText);
    }

    [Fact]
    public void InvalidShare_IsListed()
    {
        var e = Assert.Throws<ArgumentException>(() => new InProcessScheduler(new DelegateRunner((_, _) => Task.FromResult(Ok(""))), new SchedulerOptions { MaxQueuedPerInvoker = 0 }));
        Assert.Contains("MaxQueuedPerInvoker", e.Message, StringComparison.Ordinal);
    }


    // Holds every request until the gate opens, and records the order they started in.
    private sealed class GatedRunner(Task gate) : IInvoker
    {
        private readonly Lock _lock = new();

        public List<string> Started { get; } = [];

        public async ValueTask<InvocationReply> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
        {
            lock (_lock)
            {
                Started.Add(request.Id);
            }

            await gate;
            return Ok(request.Id);
        }
    }
}

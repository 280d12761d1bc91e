using Faasten.Protocol.Labels;
using Faasten.Protocol.V1;
using Faasten.Worker.Scheduling;
using Faasten.Worker.Tests.Support;
using Google.Protobuf;
using Component = Faasten.Labels.Component;
using Principal = Faasten.Labels.Principal;

namespace Faasten.Worker.Tests.Scheduling;

/// <summary>
/// Issue 12 item 10, as the attack: bob floods the queue; alice must still get in, and must not
/// wait behind all of bob's requests.
/// </summary>
public sealed class InvokerShareTests
{
    private static InvokeRequest Request(string id, string invoker) => new()
    {
        Id = id,
        GatePath = "g",
        Payload = ByteString.CopyFromUtf8("{}"),
        InvokerPrivilege = Component.FromPrincipal(Principal.Parse(invoker)).ToProto(),
    };

    private static InvokeReply Ok(string body) => new() { Status = InvokeStatus.Ok, Body = ByteString.CopyFromUtf8(body) };

    [Fact]
    public async Task BobFillsHisShare_IsRefusedAlone_AliceStillGetsIn()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runner = new GatedRunner(gate.Task);
        await using var scheduler = new InProcessScheduler(runner, new SchedulerOptions { Slots = 1, QueueCapacity = 100, MaxQueuedPerInvoker = 3 });

        var running = scheduler.InvokeAsync(Request("bob-0", "bob")).AsTask();
        var bobs = Enumerable.Range(1, 3).Select(i => scheduler.SubmitAsync(Request($"bob-{i}", "bob")).AsTask()).ToArray();
        var flood = await Task.WhenAll(Enumerable.Range(4, 50).Select(i => scheduler.SubmitAsync(Request($"bob-{i}", "bob")).AsTask()));
        var alice = await scheduler.SubmitAsync(Request("alice-1", "alice"));

        Assert.All(await Task.WhenAll(bobs), r => Assert.Equal(InvokeStatus.Pending, r.Status));
        Assert.All(flood, r => Assert.Equal(InvokeStatus.QueueFull, r.Status));
        Assert.Equal(InvokeStatus.Pending, alice.Status);
        Assert.Equal(4, scheduler.Queued);

        gate.SetResult();
        Assert.Equal(InvokeStatus.Ok, (await running).Status);
        await DelegateRunner.WaitUntil(() => scheduler.TryGetResult("alice-1")!.Status == InvokeStatus.Ok);
        await DelegateRunner.WaitUntil(() => scheduler.TryGetResult("bob-3")!.Status == InvokeStatus.Ok);

        // A share frees as its requests run.
        Assert.Equal(InvokeStatus.Ok, (await scheduler.InvokeAsync(Request("bob-again", "bob"))).Status);
    }

    [Fact]
    public async Task QueuedInvokers_AreServedInTurn_NotFirstComeFirstServed()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runner = new GatedRunner(gate.Task);
        await using var scheduler = new InProcessScheduler(runner, new SchedulerOptions { Slots = 1 });

        var all = new List<Task<InvokeReply>> { scheduler.InvokeAsync(Request("bob-0", "bob")).AsTask() };
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
        await DelegateRunner.WaitUntil(() => scheduler.Running == 2 && scheduler.Queued == 2);

        var alice = await scheduler.InvokeAsync(Request("alice-1", "alice")).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(InvokeStatus.Ok, alice.Status);
        Assert.Equal(2, scheduler.Running);
        Assert.Equal(2, scheduler.Queued);

        Gate("bob-0").SetResult();
        await DelegateRunner.WaitUntil(() => scheduler.Queued == 1 && scheduler.Running == 2);
        foreach (var i in Enumerable.Range(1, 3))
        {
            Gate($"bob-{i}").SetResult();
        }

        Assert.All(await Task.WhenAll(bobs).WaitAsync(TimeSpan.FromSeconds(10)), r => Assert.Equal(InvokeStatus.Ok, r.Status));
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
            var nested = Request(r.Id + "/" + (depth + 1), "bob");
            nested.GatePath = (depth + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return await scheduler!.InvokeNestedAsync(nested, ct);
        });
        await using var s = new InProcessScheduler(runner, new SchedulerOptions { Slots = 1, MaxQueuedPerInvoker = 1 });
        scheduler = s;
        var top = Request("top", "bob");
        top.GatePath = "0";
        var chain = s.InvokeAsync(top).AsTask();

        // While the chain holds the only slot, bob's queued request fills his share.
        Assert.Equal(InvokeStatus.Pending, (await s.SubmitAsync(Request("late", "bob"))).Status);
        Assert.Equal(InvokeStatus.QueueFull, (await s.SubmitAsync(Request("later", "bob"))).Status);
        goOn.SetResult();

        var reply = await chain;
        Assert.Equal(InvokeStatus.Ok, reply.Status);
        Assert.Equal("bottom", reply.Body.ToStringUtf8());
    }

    [Fact]
    public void InvalidShare_IsListed()
    {
        var e = Assert.Throws<ArgumentException>(() => new InProcessScheduler(new DelegateRunner((_, _) => Task.FromResult(Ok(""))), new SchedulerOptions { MaxQueuedPerInvoker = 0 }));
        Assert.Contains("MaxQueuedPerInvoker", e.Message, StringComparison.Ordinal);
    }


    // Holds every request until the gate opens, and records the order they started in.
    private sealed class GatedRunner(Task gate) : IInvocationRunner
    {
        private readonly Lock _lock = new();

        public List<string> Started { get; } = [];

        public async ValueTask<InvokeReply> RunAsync(InvokeRequest request, CancellationToken cancellationToken)
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

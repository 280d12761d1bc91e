using Faasten.Labels;
using Faasten.Protocol.Invocations;
using Faasten.Tests.Common;
using Faasten.Worker.Scheduling;
using Faasten.Worker.Tests.Support;

namespace Faasten.Worker.Tests.Scheduling;

public sealed class InProcessSchedulerTests
{
    private static InvocationRequest Request(string id, string path = "g", int depth = 0) =>
        new() { Id = id, GatePath = path, Payload = "{}"u8.ToArray(), Depth = depth, InvokerPrivilege = Component.True, PayloadLabel = Label.Public };

    private static InvocationReply Ok(string body) => InvocationReply.Public("", InvocationStatus.Ok, body);

    [Fact]
    public async Task Invoke_RoutesTheRunnersReplyBackWithTheRequestId()
    {
        await using var scheduler = new InProcessScheduler(new DelegateRunner((r, _) => Task.FromResult(Ok("ran " + r.GatePath))), new SchedulerOptions());

        var reply = await scheduler.InvokeAsync(Request("r1", "echo"));

        Assert.Equal(InvocationStatus.Ok, reply.Status);
        Assert.Equal("r1", reply.Id);
        Assert.Equal("ran echo", reply.BodyText);
    }

    [Fact]
    public async Task Invoke_FreeSlotAndEmptyQueue_StartsTheRunnerWithoutQueueing()
    {
        var started = false;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runner = new DelegateRunner(async (r, _) =>
        {
            started = true;
            await gate.Task;
            return Ok(r.Id);
        });
        await using var scheduler = new InProcessScheduler(runner, new SchedulerOptions { Slots = 2 });

        var pending = scheduler.InvokeAsync(Request("fast")).AsTask();

        Assert.True(started);
        Assert.Equal(1, scheduler.Running);
        gate.SetResult();
        Assert.Equal("fast", (await pending).BodyText);
        Assert.Equal(0, scheduler.Running);
    }

    [Fact]
    public async Task FullQueue_AnswersQueueFullAtOnce_AndLaterRequestsStillRun()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runner = new DelegateRunner(async (r, _) =>
        {
            await gate.Task;
            return Ok(r.Id);
        });
        await using var scheduler = new InProcessScheduler(runner, new SchedulerOptions { Slots = 1, QueueCapacity = 2 });

        var first = scheduler.InvokeAsync(Request("a")).AsTask();
        await Poll.UntilAsync(() => scheduler.Running == 1);
        var queued = new[] { scheduler.InvokeAsync(Request("b")).AsTask(), scheduler.InvokeAsync(Request("c")).AsTask() };
        var burst = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => scheduler.InvokeAsync(Request($"x{i}")).AsTask()));

        Assert.All(burst, r => Assert.Equal(InvocationStatus.QueueFull, r.Status));
        Assert.False(first.IsCompleted);
        gate.SetResult();
        Assert.Equal(["a", "b", "c"], (await Task.WhenAll([first, .. queued])).Select(r => r.BodyText));
        Assert.Equal(InvocationStatus.Ok, (await scheduler.InvokeAsync(Request("d"))).Status);
    }

    [Fact]
    public async Task Submit_ReturnsPendingThenTheResult()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runner = new DelegateRunner(async (r, _) =>
        {
            await gate.Task;
            return Ok("done");
        });
        await using var scheduler = new InProcessScheduler(runner, new SchedulerOptions());

        var submitted = await scheduler.InvokeAsync((Request("async-1")) with { Sync = false });
        Assert.Equal(InvocationStatus.Pending, submitted.Status);
        Assert.Equal(InvocationStatus.Pending, scheduler.TryGetResult("async-1")!.Status);

        gate.SetResult();
        await Poll.UntilAsync(() => scheduler.TryGetResult("async-1")!.Status != InvocationStatus.Pending);

        Assert.Equal("done", scheduler.TryGetResult("async-1")!.BodyText);
        Assert.Null(scheduler.TryGetResult("unknown"));
    }

    [Fact]
    public async Task AsyncResults_ExpireAfterTheRetention()
    {
        var time = new ManualTimeProvider();
        await using var scheduler = new InProcessScheduler(new DelegateRunner((_, _) => Task.FromResult(Ok("x"))), new SchedulerOptions { ResultRetention = TimeSpan.FromMinutes(5) }, time);

        await scheduler.InvokeAsync((Request("r")) with { Sync = false });
        await Poll.UntilAsync(() => scheduler.TryGetResult("r")!.Status == InvocationStatus.Ok);

        time.Advance(TimeSpan.FromMinutes(4));
        Assert.NotNull(scheduler.TryGetResult("r"));
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Null(scheduler.TryGetResult("r"));
    }

    [Fact]
    public async Task DuplicateAsyncId_IsRejected()
    {
        await using var scheduler = new InProcessScheduler(new DelegateRunner((_, _) => Task.FromResult(Ok("x"))), new SchedulerOptions());
        await scheduler.InvokeAsync((Request("same")) with { Sync = false });
        Assert.Equal(InvocationStatus.BadRequest, (await scheduler.InvokeAsync((Request("same")) with { Sync = false })).Status);
    }

    [Fact]
    public async Task NestedSyncChainDeeperThanTheSlots_Completes()
    {
        InProcessScheduler? scheduler = null;
        var runner = new DelegateRunner(async (r, ct) =>
        {
            if (r.Depth == 10)
            {
                return Ok("bottom");
            }

            var inner = await scheduler!.InvokeAsync(Request(r.Id + "+", depth: r.Depth + 1), ct);
            return Ok(inner.BodyText + "<" + r.Depth);
        });
        scheduler = new InProcessScheduler(runner, new SchedulerOptions { Slots = 2, QueueCapacity = 4 });
        await using var _ = scheduler;

        var reply = await scheduler.InvokeAsync(Request("top")).AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("bottom<9<8<7<6<5<4<3<2<1<0", reply.BodyText);
        Assert.Equal(0, scheduler.Running);
    }

    [Fact]
    public async Task RunnerFailure_FailsThatInvocationOnly()
    {
        var runner = new DelegateRunner((r, _) => r.GatePath == "boom" ? throw new InvalidOperationException("bug") : Task.FromResult(Ok("fine")));
        await using var scheduler = new InProcessScheduler(runner, new SchedulerOptions { Slots = 1 });

        var failed = await scheduler.InvokeAsync(Request("1", "boom"));
        var next = await scheduler.InvokeAsync(Request("2", "ok"));

        Assert.Equal(InvocationStatus.Internal, failed.Status);
        Assert.DoesNotContain("bug", failed.BodyText, StringComparison.Ordinal);
        Assert.Equal(Label.Top, failed.Label); // it may have failed after reading a secret: withheld, not a public 500
        Assert.Equal(InvocationStatus.Ok, next.Status);
    }

    [Fact]
    public async Task Drain_WaitsForQueuedAndRunningInvocations()
    {
        var runs = 0;
        var runner = new DelegateRunner(async (_, _) =>
        {
            await Task.Delay(50);
            Interlocked.Increment(ref runs);
            return Ok("x");
        });
        await using var scheduler = new InProcessScheduler(runner, new SchedulerOptions { Slots = 2 });
        var pending = Enumerable.Range(0, 6).Select(i => scheduler.InvokeAsync(Request($"d{i}")).AsTask()).ToArray();

        await scheduler.DrainAsync();

        Assert.Equal(6, runs);
        Assert.All(pending, t => Assert.True(t.IsCompletedSuccessfully));
        Assert.Equal(InvocationStatus.QueueFull, (await scheduler.InvokeAsync(Request("late"))).Status);
    }

    [Fact]
    public void InvalidOptions_ListEveryError()
    {
        var e = Assert.Throws<ArgumentException>(() => new InProcessScheduler(new DelegateRunner((_, _) => Task.FromResult(Ok(""))), new SchedulerOptions { Slots = 0, QueueCapacity = 0 }));
        Assert.Contains("Slots", e.Message, StringComparison.Ordinal);
        Assert.Contains("QueueCapacity", e.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The metadata store away mid-run (an outage, not an outcome): the queued sync caller gets the
    /// failure, so a gateway can answer 503 and a cluster worker can requeue, instead of waiting
    /// for a reply that never comes.
    /// </summary>
    [Fact]
    public async Task QueuedSyncRequest_WhoseRunHitsAnOutage_FailsTheCaller_InsteadOfHanging()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runner = new DelegateRunner(async (r, _) =>
        {
            if (r.Id == "hold")
            {
                await release.Task;
                return Ok("held");
            }

            throw new StoreAway();
        });
        await using var scheduler = new InProcessScheduler(runner, new SchedulerOptions { Slots = 1 });

        // The slot is taken, so the next request waits in the queue and runs from there.
        var holding = scheduler.InvokeAsync(Request("hold")).AsTask();
        await Poll.UntilAsync(() => scheduler.Running == 1 && scheduler.Queued == 0);
        var call = scheduler.InvokeAsync(Request("a")).AsTask();
        await Poll.UntilAsync(() => scheduler.Queued == 1);
        release.SetResult();

        Assert.Equal(InvocationStatus.Ok, (await holding).Status);
        await Assert.ThrowsAsync<StoreAway>(() => call.WaitAsync(TimeSpan.FromSeconds(30)));
        await Poll.UntilAsync(() => scheduler.Running == 0);
    }

    private sealed class StoreAway : System.Data.Common.DbException;
}

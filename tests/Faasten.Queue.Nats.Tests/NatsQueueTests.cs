using System.Text;
using Faasten.Labels;
using Faasten.Protocol.Invocations;
using Faasten.Tests.Common;
using Faasten.Tests.Common.Engines;
using Microsoft.Extensions.Logging.Abstractions;

namespace Faasten.Queue.Nats.Tests;

/// <summary>The queue against a real nats-server with JetStream, a stand-in runner where a worker's scheduler would be.</summary>
public sealed class NatsQueueTests : IAsyncLifetime
{
    // A worker on a loaded machine may take seconds to pull; nothing here should take this long.
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    private LoopbackService _nats = null!;

    public async Task InitializeAsync() => _nats = await NatsServer.StartAsync();

    public async Task DisposeAsync() => await _nats.DisposeAsync();

    [Fact]
    public async Task SyncInvocation_RunsOnAWorker_AndTheReplyComesBackWithItsLabel()
    {
        await using var queue = await ConnectAsync();
        var results = new RecordingResults();
        await using var invoker = await NatsInvoker.CreateAsync(queue, results);
        await using var worker = new NatsWorkerService(queue, new Runner(r => Reply(r, "ran " + r.GatePath, Label.Parse("alice,alice"))), results, 2, "w1", NullLogger<NatsWorkerService>.Instance);

        var reply = await invoker.InvokeAsync(Request("home:<T,alice>:f"));

        Assert.Equal(InvocationStatus.Ok, reply.Status);
        Assert.Equal("ran home:<T,alice>:f", reply.BodyText);
        Assert.Equal(Label.Parse("alice,alice"), reply.Label);
    }

    [Fact]
    public async Task AsyncInvocation_IsPendingThenRecordedOnce()
    {
        await using var queue = await ConnectAsync();
        var results = new RecordingResults();
        await using var invoker = await NatsInvoker.CreateAsync(queue, results);
        var ran = 0;
        await using var worker = new NatsWorkerService(queue, new Runner(r =>
        {
            Interlocked.Increment(ref ran);
            return Reply(r, "done", Label.Public);
        }), results, 1, "w1", NullLogger<NatsWorkerService>.Instance);
        var request = Request("home:<T,alice>:f") with { Sync = false };

        Assert.Equal(InvocationStatus.Pending, (await invoker.InvokeAsync(request)).Status);
        await Poll.UntilAsync(() => results.IsCompleteAsync(request.Id), Long);

        Assert.Equal("done", (await results.GetAsync(request.Id))!.BodyText);
        Assert.Equal(1, ran);

        // The same id again is refused: an id names one invocation.
        Assert.Equal(InvocationStatus.BadRequest, (await invoker.InvokeAsync(request)).Status);
    }

    [Fact]
    public async Task FullStream_AnswersQueueFull_AndForgetsThePendingId()
    {
        await using var queue = await ConnectAsync(capacity: 2);
        var results = new RecordingResults();
        await using var invoker = await NatsInvoker.CreateAsync(queue, results);

        // No worker pulls: two requests fill the stream.
        Assert.Equal(InvocationStatus.Pending, (await invoker.InvokeAsync(Request("a") with { Sync = false })).Status);
        Assert.Equal(InvocationStatus.Pending, (await invoker.InvokeAsync(Request("b") with { Sync = false })).Status);
        var third = Request("c") with { Sync = false };
        var refused = await invoker.InvokeAsync(third);

        Assert.Equal(InvocationStatus.QueueFull, refused.Status);
        Assert.Equal(Label.Public, refused.Label);
        Assert.Null(await results.GetAsync(third.Id));
        Assert.Equal(InvocationStatus.QueueFull, (await invoker.InvokeAsync(Request("d"))).Status);
    }

    [Fact]
    public async Task BusyWorker_PullsNoMoreThanItsFreeSlots_SoAnIdleWorkerGetsTheRest()
    {
        await using var queue = await ConnectAsync();
        var results = new RecordingResults();
        await using var invoker = await NatsInvoker.CreateAsync(queue, results);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int busyRan = 0, idleRan = 0;
        await using var busy = new NatsWorkerService(queue, new Runner(async r =>
        {
            Interlocked.Increment(ref busyRan);
            await release.Task; // so every run the busy worker starts is in a slot until the end
            return Reply(r, "busy", Label.Public);
        }), results, 2, "busy", NullLogger<NatsWorkerService>.Instance);
        var requests = Enumerable.Range(0, 4).Select(i => Request("f" + i) with { Sync = false }).ToArray();
        foreach (var request in requests)
        {
            Assert.Equal(InvocationStatus.Pending, (await invoker.InvokeAsync(request)).Status);
        }

        await Poll.UntilAsync(() => Volatile.Read(ref busyRan) == 2, Long);

        // The two requests the busy worker has no slot for are still in the stream, not held by it.
        await using var idle = new NatsWorkerService(queue, new Runner(r =>
        {
            Interlocked.Increment(ref idleRan);
            return Reply(r, "idle", Label.Public);
        }), results, 2, "idle", NullLogger<NatsWorkerService>.Instance);
        await Poll.UntilAsync(() => Volatile.Read(ref idleRan) == 2, Long);
        release.SetResult();
        foreach (var request in requests)
        {
            await Poll.UntilAsync(() => results.IsCompleteAsync(request.Id), Long);
        }

        Assert.Equal(2, busyRan);
        Assert.Equal(2, idleRan);
    }

    [Fact]
    public async Task AnIdleWorker_TakesAsManyQueuedRequestsAtOnceAsItHasSlots()
    {
        await using var queue = await ConnectAsync();
        var results = new RecordingResults();
        await using var invoker = await NatsInvoker.CreateAsync(queue, results);
        var requests = Enumerable.Range(0, 3).Select(i => Request("f" + i) with { Sync = false }).ToArray();
        foreach (var request in requests)
        {
            Assert.Equal(InvocationStatus.Pending, (await invoker.InvokeAsync(request)).Status);
        }

        // Each run waits for all three to have started: they finish only if the worker runs them side by side.
        using var allStarted = new CountdownEvent(3);
        await using var worker = new NatsWorkerService(queue, new Runner(async r =>
        {
            allStarted.Signal();
            await Task.Run(() => allStarted.Wait(TimeSpan.FromSeconds(30)));
            return Reply(r, allStarted.IsSet ? "together" : "alone", Label.Public);
        }), results, 3, "w1", NullLogger<NatsWorkerService>.Instance);

        foreach (var request in requests)
        {
            await Poll.UntilAsync(() => results.IsCompleteAsync(request.Id), Long);
            Assert.Equal("together", (await results.GetAsync(request.Id))!.BodyText);
        }
    }

    [Fact]
    public async Task AWorker_KeepsPulling_AfterTheServerRestarts()
    {
        await using var queue = await ConnectAsync();
        var results = new RecordingResults();
        await using var invoker = await NatsInvoker.CreateAsync(queue, results);
        await using var worker = new NatsWorkerService(queue, new Runner(r => Reply(r, "ran", Label.Public)), results, 2, "w1", NullLogger<NatsWorkerService>.Instance);
        Assert.Equal("ran", (await invoker.InvokeAsync(Request("before"))).BodyText);

        // The worker's open pull request dies with the server; the stream is on disk and survives.
        var (port, directory) = (_nats.Port, _nats.Directory);
        await _nats.KillAsync(); // not disposed: that would delete the directory the restart reuses
        _nats = await NatsServer.StartAsync(directory, port);

        var after = Request("after") with { Sync = false };
        await Poll.UntilAsync(async () =>
        {
            try
            {
                return (await invoker.InvokeAsync(after)).Status is InvocationStatus.Pending or InvocationStatus.BadRequest; // BadRequest: an earlier try got in
            }
            catch (QueueUnavailableException)
            {
                return false; // still reconnecting
            }
        }, Long);
        await Poll.UntilAsync(() => results.IsCompleteAsync(after.Id), Long);
        Assert.Equal("ran", (await results.GetAsync(after.Id))!.BodyText);
    }

    [Fact]
    public async Task ARunLongerThanAckWait_IsNotRedelivered_WhileItsWorkerLives()
    {
        await using var queue = await ConnectAsync(ackWaitSeconds: 1);
        var results = new RecordingResults();
        await using var invoker = await NatsInvoker.CreateAsync(queue, results);
        var runs = 0;
        var runner = new Runner(async r =>
        {
            Interlocked.Increment(ref runs);
            await Task.Delay(TimeSpan.FromSeconds(3.5)); // past three AckWaits: only the beats keep it
            return Reply(r, "slow", Label.Public);
        });
        await using var first = new NatsWorkerService(queue, runner, results, 1, "w1", NullLogger<NatsWorkerService>.Instance);
        await using var second = new NatsWorkerService(queue, runner, results, 1, "w2", NullLogger<NatsWorkerService>.Instance);

        // A lapsed lease would be redelivered to the idle worker, which answers a redelivered
        // sync request "crashed" at once: the caller would see that, not the slow reply.
        var reply = await invoker.InvokeAsync(Request("slow")).AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(InvocationStatus.Ok, reply.Status);
        Assert.Equal("slow", reply.BodyText);
        Assert.Equal(1, Volatile.Read(ref runs));
    }

    [Fact]
    public async Task NestedCall_ServedAtOnceOutsideTheSlots_EvenWhenEverySlotIsBusy()
    {
        await using var queue = await ConnectAsync();
        var results = new RecordingResults();
        await using var invoker = await NatsInvoker.CreateAsync(queue, results);
        await using var worker = new NatsWorkerService(queue, new Runner(async r =>
        {
            if (r.Depth == 0)
            {
                // The one slot's invocation calls a function and waits for it, as a chain does.
                var inner = await invoker.InvokeAsync(Request("inner") with { Depth = 1 });
                return Reply(r, "outer got " + inner.BodyText, Label.Public);
            }

            return Reply(r, "inner", Label.Public);
        }), results, 1, "w1", NullLogger<NatsWorkerService>.Instance);

        var reply = await invoker.InvokeAsync(Request("outer")).AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("outer got inner", reply.BodyText);
    }

    [Fact]
    public async Task NestedCall_NoWorkerServing_IsAnInternalReplyNotAHang()
    {
        await using var queue = await ConnectAsync();
        await using var invoker = await NatsInvoker.CreateAsync(queue, new RecordingResults());

        var reply = await invoker.InvokeAsync(Request("nobody") with { Depth = 1 });

        Assert.Equal(InvocationStatus.Internal, reply.Status);
    }

    [Fact]
    public async Task QueueUnreachable_Throws_SoTheGatewayAnswers503()
    {
        await using var queue = await ConnectAsync();
        var results = new RecordingResults();
        await using var invoker = await NatsInvoker.CreateAsync(queue, results);
        await _nats.KillAsync();

        var request = Request("x") with { Sync = false };
        await Assert.ThrowsAsync<QueueUnavailableException>(async () => await invoker.InvokeAsync(request));
        Assert.Null(await results.GetAsync(request.Id));
    }

    [Fact]
    public void Options_BadValues_AreAllReported()
    {
        var errors = new NatsQueueOptions { Url = "http://x", Capacity = 0, AckWait = TimeSpan.Zero, MaxDeliver = 0, ReplyTimeout = TimeSpan.Zero }.Validate();

        Assert.Equal(5, errors.Count);
    }

    private Task<NatsQueue> ConnectAsync(int capacity = 64, double ackWaitSeconds = 3) =>
        NatsQueue.ConnectAsync(new NatsQueueOptions { Url = NatsServer.Url(_nats), Capacity = capacity, AckWait = TimeSpan.FromSeconds(ackWaitSeconds), ReplyTimeout = TimeSpan.FromSeconds(10) }, "test");

    private static InvocationRequest Request(string gate) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        InvokerPrivilege = Component.Parse("alice"),
        GatePath = gate,
        PayloadLabel = Label.Public,
    };

    private static InvocationReply Reply(InvocationRequest request, string body, Label label) =>
        new(request.Id, InvocationStatus.Ok, Encoding.UTF8.GetBytes(body), label);

    private sealed class Runner(Func<InvocationRequest, ValueTask<InvocationReply>> run) : IInvoker
    {
        public Runner(Func<InvocationRequest, InvocationReply> run)
            : this(r => ValueTask.FromResult(run(r)))
        {
        }

        public ValueTask<InvocationReply> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken = default) => run(request);
    }
}

using Faasten.Protocol.V1;
using Faasten.Worker.Logging;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Faasten.Worker.Scheduling;

/// <summary>
/// The embedded scheduler: a bounded in-memory queue drained into a fixed number of worker
/// slots. Label-oblivious: it moves requests and replies and never inspects them. The queue
/// gives each invoker a share (<see cref="SchedulerOptions.MaxQueuedPerInvoker"/>) and serves
/// invokers in turn (<see cref="InvokerQueues{T}"/>), so one user filling the queue is refused
/// alone and others still get in.
/// </summary>
/// <remarks>
/// A function blocked on a nested sync call lends its slot to its callee
/// (<see cref="InvokeNestedAsync"/>): the callee runs at once in the caller's slot instead of
/// queueing for another one. A chain of nested calls deeper than the slot count therefore
/// completes, a full queue never fails a call made by a running function, and a chain never
/// occupies more than one slot's worth of running work. Such calls are not queued, so no
/// queue share can refuse them: a chain is never failed because its own ancestors (which carry
/// the same invoker privilege when a gate calls itself) fill that invoker's share. Async calls
/// from functions are queued under the calling function's privilege and count against its share.
/// </remarks>
public sealed class InProcessScheduler : IInvocationScheduler, IAsyncDisposable
{
    private readonly IInvocationRunner _runner;
    private readonly InvokerQueues<WorkItem> _queue;
    private readonly SemaphoreSlim _slots;
    private readonly ResultStore _results;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _dispatcher;
    private readonly ITimer _sweeper;
    private readonly ILogger _logger;
    private int _running;
    private bool _closed;

    public InProcessScheduler(IInvocationRunner runner, SchedulerOptions options, TimeProvider? time = null, ILogger<InProcessScheduler>? logger = null)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid scheduler options: " + string.Join("; ", errors), nameof(options));
        }

        time ??= TimeProvider.System;
        _logger = logger ?? NullLogger<InProcessScheduler>.Instance;
        _runner = runner;
        _queue = new InvokerQueues<WorkItem>(options.QueueCapacity, options.MaxQueuedPerInvoker, options.MaxRunningPerInvoker == 0 ? int.MaxValue : options.MaxRunningPerInvoker);
        _slots = new SemaphoreSlim(options.Slots, int.MaxValue);
        _results = new ResultStore(time, options.ResultRetention);
        var sweepEvery = options.ResultRetention < TimeSpan.FromMinutes(1) ? options.ResultRetention : TimeSpan.FromMinutes(1);
        _sweeper = time.CreateTimer(_ => _results.Sweep(), null, sweepEvery, sweepEvery);
        _dispatcher = Task.Run(DispatchAsync);
    }

    /// <summary>Invocations currently holding a slot (for tests and metrics).</summary>
    public int Running => Volatile.Read(ref _running);

    public int Queued => _queue.Count;

    public ValueTask<InvokeReply> InvokeAsync(InvokeRequest request, CancellationToken cancellationToken = default)
    {
        // Fast path: nobody is waiting and a slot is free, so queueing would only add two thread
        // hops (dispatcher, then slot). The runner starts on the caller's thread instead.
        if (_queue.Count == 0 && !Volatile.Read(ref _closed) && _slots.Wait(0))
        {
            if (!_queue.TryStartDirect(InvokerOf(request)))
            {
                _slots.Release();
                return EnqueueAsync(request, cancellationToken);
            }

            Interlocked.Increment(ref _running);
            var run = RunInSlotAsync(request);
            return new ValueTask<InvokeReply>(cancellationToken.CanBeCanceled ? run.WaitAsync(cancellationToken) : run);
        }

        return EnqueueAsync(request, cancellationToken);
    }

    private ValueTask<InvokeReply> EnqueueAsync(InvokeRequest request, CancellationToken cancellationToken)
    {
        var item = new WorkItem(request, new TaskCompletionSource<InvokeReply>(TaskCreationOptions.RunContinuationsAsynchronously), Async: false);
        if (!_queue.TryEnqueue(InvokerOf(request), item))
        {
            return ValueTask.FromResult(QueueFull(request));
        }

        return new ValueTask<InvokeReply>(item.Reply.Task.WaitAsync(cancellationToken));
    }

    public ValueTask<InvokeReply> SubmitAsync(InvokeRequest request, CancellationToken cancellationToken = default)
    {
        if (!_results.TryAddPending(request.Id))
        {
            return ValueTask.FromResult(Replies.Status(request.Id, InvokeStatus.BadRequest, "an invocation with this id already exists"));
        }

        var item = new WorkItem(request, new TaskCompletionSource<InvokeReply>(TaskCreationOptions.RunContinuationsAsynchronously), Async: true);
        if (!_queue.TryEnqueue(InvokerOf(request), item))
        {
            _results.Remove(request.Id);
            return ValueTask.FromResult(QueueFull(request));
        }

        return ValueTask.FromResult(Replies.Status(request.Id, InvokeStatus.Pending, "pending"));
    }

    public InvokeReply? TryGetResult(string id) => _results.TryGet(id);

    /// <summary>
    /// A sync call from a function that is running in a slot. The caller is blocked until the
    /// reply arrives, so its slot is lent to the callee, which runs here and now.
    /// </summary>
    /// <remarks>
    /// Queueing the callee behind other requests for a freed slot (the first design) let those
    /// requests take the slot first; if they then waited on something the blocked caller held
    /// (e.g. VM memory), nothing could move. Running in the lent slot needs no queue space and no
    /// second slot, and cancelling the caller cancels the callee.
    /// </remarks>
    public async ValueTask<InvokeReply> InvokeNestedAsync(InvokeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        Interlocked.Increment(ref _running);
        try
        {
            return await RunGuardedAsync(request, linked.Token).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }

    /// <summary>Stops taking requests and waits for queued and running ones to finish.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken = default)
    {
        Volatile.Write(ref _closed, true);
        _queue.Complete();
        await _dispatcher.WaitAsync(cancellationToken).ConfigureAwait(false);
        while (Volatile.Read(ref _running) > 0)
        {
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Volatile.Write(ref _closed, true);
        _queue.Complete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _sweeper.DisposeAsync().ConfigureAwait(false);
        try
        {
            await _dispatcher.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        foreach (var item in _queue.TakeAll())
        {
            Finish(item, Replies.Status(item.Request.Id, InvokeStatus.Internal, "the scheduler stopped"));
        }

        _stopping.Dispose();
    }

    private async Task DispatchAsync()
    {
        while (true)
        {
            await _slots.WaitAsync(_stopping.Token).ConfigureAwait(false);
            var (ok, item, _) = await _queue.DequeueAsync(_stopping.Token).ConfigureAwait(false);
            if (!ok)
            {
                _slots.Release();
                return;
            }

            Interlocked.Increment(ref _running);
            _ = Task.Run(() => RunAsync(item!));
        }
    }

    private async Task RunAsync(WorkItem item)
    {
        try
        {
            Finish(item, await RunGuardedAsync(item.Request, _stopping.Token).ConfigureAwait(false));
        }
        finally
        {
            _queue.Finished(InvokerOf(item.Request));
            Interlocked.Decrement(ref _running);
            _slots.Release();
        }
    }

    private async Task<InvokeReply> RunInSlotAsync(InvokeRequest request)
    {
        try
        {
            return await RunGuardedAsync(request, _stopping.Token).ConfigureAwait(false);
        }
        finally
        {
            _queue.Finished(InvokerOf(request));
            Interlocked.Decrement(ref _running);
            _slots.Release();
        }
    }

    /// <summary>Runs a request; a runner bug fails that invocation only. A cancelled caller's OperationCanceledException propagates.</summary>
    private async Task<InvokeReply> RunGuardedAsync(InvokeRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var reply = await _runner.RunAsync(request, cancellationToken).ConfigureAwait(false);
            reply.Id = request.Id;
            return reply;
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return Replies.Status(request.Id, InvokeStatus.Internal, "the scheduler stopped");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A runner bug must fail one invocation, never the dispatcher.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _logger.RunnerFailed(e, request.Id, request.GatePath);
            return Replies.Status(request.Id, InvokeStatus.Internal, "internal error");
        }
    }

    private void Finish(WorkItem item, InvokeReply reply)
    {
        if (item.Async)
        {
            _results.Complete(item.Request.Id, reply);
        }

        item.Reply.TrySetResult(reply);
    }

    private static InvokeReply QueueFull(InvokeRequest request) =>
        Replies.Status(request.Id, InvokeStatus.QueueFull, "the invocation queue is full, or this invoker's share of it; retry later");

    // A request without an invoker privilege is refused by the runner; it still queues under one key.
    private static ByteString InvokerOf(InvokeRequest request) => request.InvokerPrivilege?.ToByteString() ?? ByteString.Empty;

    private sealed record WorkItem(InvokeRequest Request, TaskCompletionSource<InvokeReply> Reply, bool Async);
}

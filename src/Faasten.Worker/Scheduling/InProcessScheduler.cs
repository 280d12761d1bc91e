using Faasten.Labels;
using Faasten.Protocol.Invocations;
using Faasten.Worker.Logging;
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
/// A function blocked on a nested sync call (a sync request with a depth) lends its slot to its
/// callee: the callee runs at once in the caller's slot instead of
/// queueing for another one. A chain of nested calls deeper than the slot count therefore
/// completes, a full queue never fails a call made by a running function, and a chain never
/// occupies more than one slot's worth of running work. Such calls are not queued, so no
/// queue share can refuse them: a chain is never failed because its own ancestors (which carry
/// the same invoker privilege when a gate calls itself) fill that invoker's share. Async calls
/// from functions are queued under the calling function's privilege and count against its share.
/// </remarks>
public sealed class InProcessScheduler : IInvoker, IAsyncDisposable
{
    private readonly IInvoker _runner;
    private readonly InvokerQueues<WorkItem> _queue;
    private readonly SemaphoreSlim _slots;
    private readonly ResultStore _results;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _dispatcher;
    private readonly ITimer _sweeper;
    private readonly ILogger _logger;
    private int _running;
    private bool _closed;

    private readonly TimeProvider _time;

    /// <param name="runner">Runs each request in a slot (the worker).</param>
    public InProcessScheduler(IInvoker runner, SchedulerOptions options, TimeProvider? time = null, ILogger<InProcessScheduler>? logger = null)
        : this(_ => runner, options, time, logger)
    {
    }

    /// <param name="runnerFor">
    /// Makes the runner, given the route its functions' nested calls take (this scheduler): the
    /// worker and the scheduler need each other, so the scheduler builds its worker.
    /// </param>
    public InProcessScheduler(Func<IInvoker, IInvoker> runnerFor, SchedulerOptions options, TimeProvider? time = null, ILogger<InProcessScheduler>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(runnerFor);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid scheduler options: " + string.Join("; ", errors), nameof(options));
        }

        time ??= TimeProvider.System;
        _time = time;
        _logger = logger ?? NullLogger<InProcessScheduler>.Instance;
        _runner = runnerFor(this);
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

    /// <summary>The replies of async requests, for their retention.</summary>
    public IInvocationResults Results => _results;

    /// <summary>An async request's reply, looked up without waiting (the embedded store is in memory).</summary>
    internal InvocationReply? TryGetResult(string id) => _results.TryGet(id);

    public ValueTask<InvocationReply> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Queued is null)
        {
            // The record's queue time: from here on, waiting is this scheduler's doing.
            request = request with { Queued = _time.GetUtcNow() };
        }
        if (!request.Sync)
        {
            return ValueTask.FromResult(Submit(request));
        }

        if (request.Depth > 0)
        {
            return InvokeNestedAsync(request, cancellationToken);
        }

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
            return new ValueTask<InvocationReply>(cancellationToken.CanBeCanceled ? run.WaitAsync(cancellationToken) : run);
        }

        return EnqueueAsync(request, cancellationToken);
    }

    private ValueTask<InvocationReply> EnqueueAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        var item = new WorkItem(request, new TaskCompletionSource<InvocationReply>(TaskCreationOptions.RunContinuationsAsynchronously), Async: false);
        if (!_queue.TryEnqueue(InvokerOf(request), item))
        {
            return ValueTask.FromResult(QueueFull(request));
        }

        return new ValueTask<InvocationReply>(item.Reply.Task.WaitAsync(cancellationToken));
    }

    /// <summary>Queues an async request: Pending and its id, or a refusal.</summary>
    private InvocationReply Submit(InvocationRequest request)
    {
        if (!_results.TryAddPending(request.Id))
        {
            return InvocationReply.Public(request.Id, InvocationStatus.BadRequest, "an invocation with this id already exists");
        }

        var item = new WorkItem(request, new TaskCompletionSource<InvocationReply>(TaskCreationOptions.RunContinuationsAsynchronously), Async: true);
        if (!_queue.TryEnqueue(InvokerOf(request), item))
        {
            _results.Remove(request.Id);
            return QueueFull(request);
        }

        return InvocationReply.Public(request.Id, InvocationStatus.Pending, "pending");
    }

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
    private async ValueTask<InvocationReply> InvokeNestedAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
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
            Finish(item, InvocationReply.Public(item.Request.Id, InvocationStatus.Internal, "the scheduler stopped"));
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
#pragma warning disable CA1031 // Handed on, not swallowed: only an outage gets past RunGuardedAsync.
        catch (Exception e)
#pragma warning restore CA1031
        {
            // Whoever waits must see it (a gateway answers 503, a cluster worker puts the request
            // back in the queue); left unset, a sync caller would wait for ever.
            item.Reply.TrySetException(e);
        }
        finally
        {
            _queue.Finished(InvokerOf(item.Request));
            Interlocked.Decrement(ref _running);
            _slots.Release();
        }
    }

    private async Task<InvocationReply> RunInSlotAsync(InvocationRequest request)
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
    private async Task<InvocationReply> RunGuardedAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var reply = await _runner.InvokeAsync(request, cancellationToken).ConfigureAwait(false);
            return reply.Id == request.Id ? reply : reply with { Id = request.Id };
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return InvocationReply.Public(request.Id, InvocationStatus.Internal, "the scheduler stopped");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (Outage.Is(e))
        {
            // The metadata store, the blob store or the queue is away (an outage, not this
            // request's doing): not an outcome to record but a failure to retry. The gateway
            // answers 503; a cluster worker tells a sync caller so, and puts an async request back
            // in the queue.
            throw;
        }
#pragma warning disable CA1031 // A runner bug must fail one invocation, never the dispatcher.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _logger.RunnerFailed(e, request.Id, request.GatePath);
            // The runner may have thrown after the function ran at a secret label, and whether it
            // did may depend on the secret: the failure is labeled top, so it is withheld (and a
            // nested caller is tainted) rather than shown as a public 500.
            return InvocationReply.Refusal(request.Id, InvocationStatus.Internal, "internal error", Label.Top);
        }
    }

    private void Finish(WorkItem item, InvocationReply reply)
    {
        if (item.Async)
        {
            _results.Complete(item.Request.Id, reply);
        }

        item.Reply.TrySetResult(reply);
    }

    private static InvocationReply QueueFull(InvocationRequest request) =>
        InvocationReply.Public(request.Id, InvocationStatus.QueueFull, "the invocation queue is full, or this invoker's share of it; retry later");

    private static Component InvokerOf(InvocationRequest request) => request.InvokerPrivilege;

    private sealed record WorkItem(InvocationRequest Request, TaskCompletionSource<InvocationReply> Reply, bool Async);
}

using Faasten.Protocol.Invocations;
using Faasten.Protocol.Labels;
using Faasten.Protocol.V1;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Faasten.Queue.Nats;

/// <summary>
/// A worker's side of the queue. It pulls requests from the shared consumer only for free ones
/// of its <c>slots</c> (<see cref="SlotPuller"/>), so requests go to idle workers without the queue
/// seeing a label; it runs each through the worker's local scheduler, keeps the request's lease
/// alive while it runs, replies or records the result, and only then acknowledges. It also serves the nested-call
/// subject for every worker's functions, outside the slot limit (see <see cref="NatsInvoker"/>).
/// </summary>
/// <remarks>
/// Requests come from the stream and the nested subject, which only the cluster's own processes
/// may publish to (NATS accounts or credentials; docs/cluster.md). That is why a request's depth
/// may be trusted here: a nested request runs in a lent slot because its caller holds one.
/// </remarks>
public sealed class NatsWorkerService : IAsyncDisposable
{
    private const string WorkersGroup = "faasten-workers";

    private readonly NatsQueue _queue;
    private readonly IInvoker _local;
    private readonly IInvocationResultStore _results;
    private readonly ILogger _logger;
    private readonly string _worker;
    private readonly CancellationTokenSource _stopping = new();
    private readonly LeaseKeeper _leases;
    private readonly SlotPuller _puller;
    private readonly Task _nested;

    /// <param name="local">The worker's own scheduler (its slots and VMs).</param>
    /// <param name="worker">This worker's name, for logs.</param>
    public NatsWorkerService(NatsQueue queue, IInvoker local, IInvocationResultStore results, int slots, string worker, ILogger<NatsWorkerService> logger)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(results);
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        _queue = queue;
        _local = local;
        _results = results;
        _logger = logger;
        _worker = worker;
        _leases = new LeaseKeeper(queue.Options.AckWait);
        _puller = new SlotPuller(queue, slots, HandleQueuedAsync, logger);
        _nested = Task.Run(ServeNestedAsync);
    }

    /// <summary>Queued requests running now (nested calls not counted).</summary>
    public int Running => _puller.Running;

    /// <summary>Stops pulling and serving nested calls, then waits for running requests (up to the token).</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _nested.WaitAsync(cancellationToken).ConfigureAwait(false);
        await _puller.DrainAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _nested.ConfigureAwait(false);
        await _puller.DisposeAsync().ConfigureAwait(false);
        await _leases.DisposeAsync().ConfigureAwait(false);
    }

    private async Task HandleQueuedAsync(INatsJSMsg<byte[]> message)
    {
        InvocationRequest request;
        try
        {
            request = InvokeRequest.Parser.ParseFrom(message.Data ?? []).FromProto();
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or LabelMessageException)
        {
            _logger.MalformedRequest(e);
            await message.AckTerminateAsync().ConfigureAwait(false);
            return;
        }

        var delivery = message.Metadata?.NumDelivered ?? 1;
        var replyTo = message.Headers is { } headers && headers.TryGetValue(NatsQueue.ReplyHeader, out var values) ? values.ToString() : null;
        try
        {
            if (!request.Sync && await _results.IsCompleteAsync(request.Id).ConfigureAwait(false))
            {
                _logger.AlreadyRecorded(request.Id);
                await message.AckAsync().ConfigureAwait(false);
                return;
            }

            InvocationReply reply;
            if (request.Sync && delivery > 1)
            {
                // The worker that had it died mid-run. Running it again could kill this one too, and
                // the caller is waiting: tell it plainly. Under the payload label, the most the queue
                // knows of what the request carries.
                _logger.SyncRedelivered(request.Id, request.GatePath, delivery);
                reply = InvocationReply.Refusal(request.Id, InvocationStatus.Crashed, "the worker running this invocation stopped before it finished", request.PayloadLabel);
            }
            else
            {
                _logger.QueuedStarted(request.Id, request.GatePath, delivery, _worker);
                reply = await RunWithLeaseAsync(message, request).ConfigureAwait(false);
                _logger.QueuedFinished(request.Id, request.GatePath, request.Depth, delivery, reply.Status, _worker);
            }

            if (request.Sync)
            {
                if (replyTo is not null)
                {
                    await _queue.Connection.PublishAsync(replyTo, reply.ToProto().ToByteArray()).ConfigureAwait(false);
                }
            }
            else
            {
                await _results.CompleteAsync(reply).ConfigureAwait(false);
            }

            await message.AckAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (request.Sync && replyTo is not null && Outage.Is(e))
        {
            // A store the run needs is away: the caller is waiting, so it is told (its gateway
            // answers 503, the client retries) rather than left to a redelivery that would answer
            // "crashed". Nothing ran to completion, so the request is done with.
            _logger.RecordFailed(e, request.Id);
            await TryReplyUnavailableAsync(replyTo).ConfigureAwait(false);
            await TryTerminateAsync(message).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // E.g. the result store is unreachable: back to the queue, to be tried again later.
            _logger.RecordFailed(e, request.Id);
            await TryNakAsync(message).ConfigureAwait(false);
        }
    }

    /// <summary>Runs the request while telling the stream it is in progress, so it is not redelivered while this worker lives.</summary>
    private async Task<InvocationReply> RunWithLeaseAsync(INatsJSMsg<byte[]> message, InvocationRequest request)
    {
        var lease = _leases.Hold(message);
        try
        {
            // The local scheduler runs it in a free slot (this service pulled it only because one was).
            return await _local.InvokeAsync(request with { Sync = true }, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _leases.Release(lease);
        }
    }

    private async Task ServeNestedAsync()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await foreach (var message in _queue.Connection.SubscribeAsync<byte[]>(_queue.Options.NestedSubject, queueGroup: WorkersGroup, cancellationToken: token).ConfigureAwait(false))
                {
                    _ = Task.Run(() => ServeNestedOneAsync(message));
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (NatsException e)
            {
                _logger.NestedSubscriptionFailed(e);
                await DelayAsync(TimeSpan.FromMilliseconds(500), token).ConfigureAwait(false);
            }
        }
    }

    private async Task ServeNestedOneAsync(NatsMsg<byte[]> message)
    {
        InvocationReply reply;
        try
        {
            var request = InvokeRequest.Parser.ParseFrom(message.Data ?? []).FromProto();
            if (!request.Sync || request.Depth < 1)
            {
                reply = InvocationReply.Public(request.Id, InvocationStatus.BadRequest, "the nested subject takes only sync calls from running functions");
            }
            else
            {
                // Depth > 0: the local scheduler runs it in the caller's lent slot, at once.
                reply = await _local.InvokeAsync(request, _stopping.Token).ConfigureAwait(false);
                _logger.NestedFinished(request.Id, request.GatePath, request.Depth, reply.Status, _worker);
            }
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or LabelMessageException)
        {
            _logger.MalformedRequest(e);
            reply = InvocationReply.Public("", InvocationStatus.BadRequest, "malformed nested request");
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            await message.ReplyAsync(reply.ToProto().ToByteArray()).ConfigureAwait(false);
        }
        catch (NatsException)
        {
            // The caller's connection is gone; it sees its own timeout.
        }
    }

    private async Task TryReplyUnavailableAsync(string replyTo)
    {
        try
        {
            await _queue.Connection.PublishAsync(replyTo, Array.Empty<byte>(), new NatsHeaders { [NatsQueue.UnavailableHeader] = "1" }).ConfigureAwait(false);
        }
        catch (NatsException)
        {
            // The caller's wait times out instead.
        }
    }

    private static async Task TryTerminateAsync(INatsJSMsg<byte[]> message)
    {
        try
        {
            await message.AckTerminateAsync().ConfigureAwait(false);
        }
        catch (NatsException)
        {
            // Redelivered; a sync redelivery answers "crashed", which the caller no longer awaits.
        }
    }

    private static async Task TryNakAsync(INatsJSMsg<byte[]> message)
    {
        try
        {
            await message.NakAsync(new AckOpts(), CancellationToken.None).ConfigureAwait(false);
        }
        catch (NatsException)
        {
            // Unacknowledged, it is redelivered after AckWait anyway.
        }
    }

    /// <summary>Waits, or returns early without throwing once <paramref name="token"/> is cancelled.</summary>
    internal static async Task DelayAsync(TimeSpan delay, CancellationToken token)
    {
        try
        {
            await Task.Delay(delay, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }
}

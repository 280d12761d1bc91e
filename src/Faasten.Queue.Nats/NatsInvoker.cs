using Faasten.Protocol.Invocations;
using Google.Protobuf;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Faasten.Queue.Nats;

/// <summary>
/// Sends invocation requests through NATS: what a cluster gateway hands its endpoints, and what a
/// worker's functions call through. Label-oblivious, like every scheduler.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Async: recorded pending in the shared result store, then published to the work-queue
/// stream; the worker that runs it records the reply there, so any gateway answers for it.</item>
/// <item>Sync from outside (depth 0): published to the stream with this process's reply subject in
/// a header; the reply comes back by request–reply through the <see cref="ReplyInbox"/>.</item>
/// <item>Sync from a running function (depth &gt; 0): a plain NATS request to the nested subject,
/// which every worker serves at once, outside its slot limit: the caller's slot is lent while it
/// waits, so a chain deeper than all the cluster's slots still completes.</item>
/// </list>
/// A full stream answers QueueFull; an unreachable server throws <see cref="QueueUnavailableException"/>.
/// </remarks>
public sealed class NatsInvoker : IInvoker, IAsyncDisposable
{
    private readonly NatsQueue _queue;
    private readonly IInvocationResultStore _results;
    private readonly ReplyInbox _inbox;

    private NatsInvoker(NatsQueue queue, IInvocationResultStore results, ReplyInbox inbox)
    {
        _queue = queue;
        _results = results;
        _inbox = inbox;
    }

    public static async Task<NatsInvoker> CreateAsync(NatsQueue queue, IInvocationResultStore results, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(results);
        return new NatsInvoker(queue, results, await ReplyInbox.OpenAsync(queue.Connection, queue.Options.ReplySubject, cancellationToken).ConfigureAwait(false));
    }

    public ValueTask<InvocationReply> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Sync)
        {
            return SubmitAsync(request, cancellationToken);
        }

        return request.Depth > 0 ? InvokeNestedAsync(request, cancellationToken) : InvokeQueuedAsync(request, cancellationToken);
    }

    public ValueTask DisposeAsync() => _inbox.DisposeAsync();

    private async ValueTask<InvocationReply> SubmitAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        if (!await _results.TryAddPendingAsync(request.Id, cancellationToken).ConfigureAwait(false))
        {
            return InvocationReply.Public(request.Id, InvocationStatus.BadRequest, "an invocation with this id already exists");
        }

        bool queued;
        try
        {
            queued = await PublishAsync(request, replySubject: null, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await _results.RemoveAsync(request.Id, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        if (!queued)
        {
            await _results.RemoveAsync(request.Id, cancellationToken).ConfigureAwait(false);
            return QueueFull(request);
        }

        return InvocationReply.Public(request.Id, InvocationStatus.Pending, "pending");
    }

    private async ValueTask<InvocationReply> InvokeQueuedAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        using var waiter = _inbox.Register(request.Id);
        if (!await PublishAsync(request, waiter.Subject, cancellationToken).ConfigureAwait(false))
        {
            return QueueFull(request);
        }

        try
        {
            return await waiter.Reply.WaitAsync(_queue.Options.ReplyTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return InvocationReply.Public(request.Id, InvocationStatus.Timeout, "no worker replied within the queue's reply timeout");
        }
    }

    private async ValueTask<InvocationReply> InvokeNestedAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await _queue.Connection.RequestAsync<byte[], byte[]>(
                _queue.Options.NestedSubject,
                request.ToProto().ToByteArray(),
                replyOpts: new NatsSubOpts { Timeout = _queue.Options.ReplyTimeout },
                cancellationToken: cancellationToken).ConfigureAwait(false);
            if (answer.Data is not { } data)
            {
                return InvocationReply.Refusal(request.Id, InvocationStatus.Internal, "no worker answered the nested call", Labels.Label.Top);
            }

            return Protocol.V1.InvokeReply.Parser.ParseFrom(data).FromProto() with { Id = request.Id };
        }
        catch (NatsNoRespondersException)
        {
            return InvocationReply.Public(request.Id, InvocationStatus.Internal, "no worker is serving nested calls");
        }
        catch (NatsNoReplyException)
        {
            return InvocationReply.Public(request.Id, InvocationStatus.Timeout, "no worker replied to the nested call within the queue's reply timeout");
        }
        catch (InvalidProtocolBufferException)
        {
            return InvocationReply.Refusal(request.Id, InvocationStatus.Internal, "the worker's reply was malformed", Labels.Label.Top);
        }
    }

    /// <summary>How long a publish may wait for the stream's acknowledgement (e.g. while the client reconnects).</summary>
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(5);

    /// <returns>False when the stream is full.</returns>
    private async ValueTask<bool> PublishAsync(InvocationRequest request, string? replySubject, CancellationToken cancellationToken)
    {
        var headers = replySubject is null ? null : new NatsHeaders { [NatsQueue.ReplyHeader] = replySubject };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(PublishTimeout);
        try
        {
            var ack = await _queue.JetStream.PublishAsync(
                _queue.Options.Subject,
                request.ToProto().ToByteArray(),
                opts: new NatsJSPubOpts { MsgId = request.Id },
                headers: headers,
                cancellationToken: timeout.Token).ConfigureAwait(false);
            if (ack.Error is { } error)
            {
                return IsFull(error.ErrCode) ? false : throw new QueueUnavailableException($"the invocation stream refused the request: {error.Description}");
            }

            return true;
        }
        catch (NatsJSApiException e) when (IsFull(e.Error.ErrCode))
        {
            return false;
        }
        catch (Exception e) when ((e is NatsException or OperationCanceledException) && !cancellationToken.IsCancellationRequested)
        {
            throw new QueueUnavailableException("the invocation queue is unreachable", e);
        }
    }

    // JSStreamStoreFailedF (10077: "maximum messages exceeded") and the byte-limit form.
    private static bool IsFull(int errCode) => errCode is 10077 or 10047;

    private static InvocationReply QueueFull(InvocationRequest request) =>
        InvocationReply.Public(request.Id, InvocationStatus.QueueFull, "the invocation queue is full; retry later");
}

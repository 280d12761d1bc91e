using System.Collections.Concurrent;
using Faasten.Protocol.Invocations;
using Faasten.Protocol.V1;
using NATS.Client.Core;

namespace Faasten.Queue.Nats;

/// <summary>
/// Where sync replies come back to this process: one subscription on a private inbox prefix, and a
/// waiter per request id. A reply for nobody (its caller gave up, or a redelivered run replying a
/// second time) is dropped.
/// </summary>
internal sealed class ReplyInbox : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<InvocationReply>> _waiting = new(StringComparer.Ordinal);
    private readonly INatsSub<byte[]> _subscription;
    private readonly Task _pump;

    private ReplyInbox(string prefix, INatsSub<byte[]> subscription)
    {
        Prefix = prefix;
        _subscription = subscription;
        _pump = Task.Run(PumpAsync);
    }

    public string Prefix { get; }

    /// <remarks>
    /// Not under the client's own <c>_INBOX</c> prefix: the client routes everything there to its
    /// request–reply machinery, so a subscription of ours under it would never see a message.
    /// </remarks>
    public static async Task<ReplyInbox> OpenAsync(NatsConnection connection, string subjectPrefix, CancellationToken cancellationToken)
    {
        var prefix = subjectPrefix + "." + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
        var subscription = await connection.SubscribeCoreAsync<byte[]>(prefix + ".*", cancellationToken: cancellationToken).ConfigureAwait(false);
        return new ReplyInbox(prefix, subscription);
    }

    /// <summary>The subject a worker replies to for <paramref name="id"/>; dispose the waiter to stop waiting.</summary>
    public Waiter Register(string id)
    {
        var reply = new TaskCompletionSource<InvocationReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_waiting.TryAdd(id, reply))
        {
            throw new InvalidOperationException("a sync invocation with this id is already waiting");
        }

        return new Waiter(this, id, Prefix + "." + id, reply.Task);
    }

    public async ValueTask DisposeAsync()
    {
        await _subscription.UnsubscribeAsync().ConfigureAwait(false);
        await _subscription.DisposeAsync().ConfigureAwait(false);
        await _pump.ConfigureAwait(false);
        foreach (var waiter in _waiting.Values)
        {
            waiter.TrySetCanceled();
        }
    }

    private async Task PumpAsync()
    {
        await foreach (var message in _subscription.Msgs.ReadAllAsync().ConfigureAwait(false))
        {
            var id = message.Subject[(Prefix.Length + 1)..];
            if (message.Headers?.ContainsKey(NatsQueue.UnavailableHeader) == true)
            {
                if (_waiting.TryRemove(id, out var unserved))
                {
                    unserved.TrySetException(new QueueUnavailableException("a store the worker needs is unreachable"));
                }

                continue;
            }

            if (message.Data is not { } data || !_waiting.TryRemove(id, out var waiter))
            {
                continue;
            }

            InvocationReply reply;
            try
            {
                reply = InvokeReply.Parser.ParseFrom(data).FromProto();
            }
            catch (Google.Protobuf.InvalidProtocolBufferException)
            {
                // A broken reply is not released: it is withheld as top secret.
                reply = InvocationReply.Refusal(id, InvocationStatus.Internal, "the worker's reply was malformed", Labels.Label.Top);
            }

            waiter.TrySetResult(reply with { Id = id });
        }
    }

    internal sealed class Waiter(ReplyInbox inbox, string id, string subject, Task<InvocationReply> reply) : IDisposable
    {
        public string Subject => subject;

        public Task<InvocationReply> Reply => reply;

        public void Dispose() => inbox._waiting.TryRemove(id, out _);
    }
}

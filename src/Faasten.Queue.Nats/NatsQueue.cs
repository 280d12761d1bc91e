using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Faasten.Queue.Nats;

/// <summary>
/// One connection to NATS with the invocation stream and its consumer in place. Creating them is
/// idempotent (create-or-update with the same configuration), so any number of gateways and
/// workers may start at once. The client reconnects by itself after a server restart; the stream
/// is on file storage, so queued requests survive one.
/// </summary>
public sealed class NatsQueue : IAsyncDisposable
{
    /// <summary>The header that carries a sync request's reply subject through the stream.</summary>
    internal const string ReplyHeader = "Faasten-Reply";

    /// <summary>On a sync reply with no body: the worker could not run it because a store is unreachable (the gateway answers 503).</summary>
    internal const string UnavailableHeader = "Faasten-Unavailable";

    private NatsQueue(NatsConnection connection, NatsJSContext jetStream, NatsQueueOptions options)
    {
        Connection = connection;
        JetStream = jetStream;
        Options = options;
    }

    public NatsQueueOptions Options { get; }

    internal NatsConnection Connection { get; }

    internal NatsJSContext JetStream { get; }

    /// <exception cref="ArgumentException">The options are not usable.</exception>
    public static async Task<NatsQueue> ConnectAsync(NatsQueueOptions options, string clientName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid NATS queue options: " + string.Join("; ", errors), nameof(options));
        }

        var connection = new NatsConnection(new NatsOpts
        {
            Url = options.Url,
            Name = clientName,
            MaxReconnectRetry = -1,
            ReconnectWaitMin = TimeSpan.FromMilliseconds(100),
            ReconnectWaitMax = TimeSpan.FromSeconds(2),
        });
        try
        {
            await connection.ConnectAsync().ConfigureAwait(false);
            var jetStream = new NatsJSContext(connection);
            await RetriedAsync(() => jetStream.CreateOrUpdateStreamAsync(
                new StreamConfig(options.Stream, [options.Subject])
                {
                    Retention = StreamConfigRetention.Workqueue,
                    Storage = StreamConfigStorage.File,
                    Discard = StreamConfigDiscard.New,
                    MaxMsgs = options.Capacity,
                },
                cancellationToken), cancellationToken).ConfigureAwait(false);
            var consumerConfig = new ConsumerConfig(options.Consumer)
            {
                AckPolicy = ConsumerConfigAckPolicy.Explicit,
                AckWait = options.AckWait,
                MaxDeliver = options.MaxDeliver,
                MaxAckPending = options.Capacity,
                MaxWaiting = 4096,
            };
            // Workers pull from it with requests of their own (SlotPuller), not through the client's consumer.
            await RetriedAsync(() => jetStream.CreateOrUpdateConsumerAsync(options.Stream, consumerConfig, cancellationToken), cancellationToken).ConfigureAwait(false);
            return new NatsQueue(connection, jetStream, options);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Creating or updating the same stream or consumer from several processes at once can fail on
    /// the server; the operation is idempotent, so it is simply tried again.
    /// </summary>
    private static async Task<T> RetriedAsync<T>(Func<ValueTask<T>> operation, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await operation().ConfigureAwait(false);
            }
            catch (NatsJSApiException) when (attempt < 8)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>True when the server answers a ping (for readiness).</summary>
    public async ValueTask<bool> IsReachableAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await Connection.PingAsync(timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is NatsException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}

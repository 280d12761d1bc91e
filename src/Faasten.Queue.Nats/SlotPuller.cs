using System.Text;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Faasten.Queue.Nats;

/// <summary>
/// Pulls requests from the work consumer for a worker's free slots only, over one long-lived
/// inbox: one pull request at a time, for as many messages as slots are idle when it is sent.
/// A delivery takes one of those; the request ends when all are delivered or the server says it
/// expired (408) or refused it (409), and then the next one asks for the slots idle by then.
/// </summary>
/// <remarks>
/// A fetch per message (the client's <c>NextAsync</c>) subscribed, asked and unsubscribed every
/// time: three protocol operations and their bookkeeping on both sides for each invocation.
/// With one request open at a time every status message on the inbox is about that request, so
/// a slot is never counted twice: the worker holds at most as many requests as it has slots.
/// A reconnect loses the open request on the server, so it is then counted as ended.
/// </remarks>
internal sealed class SlotPuller : IAsyncDisposable
{
    /// <summary>How long a pull request waits on the server for messages before it expires.</summary>
    internal static readonly TimeSpan Expires = TimeSpan.FromSeconds(5);

    // Past this with no answer at all, the request is taken as lost (e.g. a reconnect we missed).
    private static readonly TimeSpan Lost = Expires + TimeSpan.FromSeconds(5);

    private readonly NatsQueue _queue;
    private readonly Func<INatsJSMsg<byte[]>, Task> _run;
    private readonly ILogger _logger;
    private readonly string _inbox;
    private readonly string _next;
    private readonly byte[][] _requests;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _changed = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _idleAfterStop = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _pulling;
    private int _idle;   // slots neither running a request nor asked for
    private int _asked;  // deliveries the open pull request may still bring; 0 when none is open
    private long _askedAt;
    private long _quietUntil;
    private int _running;

    /// <param name="run">Runs one delivered request; its slot is free again when the task ends.</param>
    public SlotPuller(NatsQueue queue, int slots, Func<INatsJSMsg<byte[]>, Task> run, ILogger logger)
    {
        _queue = queue;
        _run = run;
        _logger = logger;
        _idle = slots;
        _inbox = queue.Options.ReplySubject + ".pull." + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
        _next = $"$JS.API.CONSUMER.MSG.NEXT.{queue.Options.Stream}.{queue.Options.Consumer}";
        var expiresNs = (long)Expires.TotalMilliseconds * 1_000_000;
        _requests = Enumerable.Range(0, slots + 1).Select(n => Encoding.UTF8.GetBytes($"{{\"batch\":{n},\"expires\":{expiresNs}}}")).ToArray();
        queue.Connection.ConnectionOpened += OnConnectionOpenedAsync;
        _pulling = Task.Run(PullAsync);
    }

    /// <summary>Requests running now.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>Stops asking for requests, then waits (up to the token) for the running ones.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        await StopAsync().ConfigureAwait(false);
        if (Volatile.Read(ref _running) > 0)
        {
            await _idleAfterStop.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private async Task StopAsync()
    {
        _queue.Connection.ConnectionOpened -= OnConnectionOpenedAsync;
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _pulling.ConfigureAwait(false);
    }

    private async Task PullAsync()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            INatsSub<byte[]> inbox;
            try
            {
                inbox = await _queue.Connection.SubscribeCoreAsync<byte[]>(_inbox, cancellationToken: token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (NatsException e)
            {
                _logger.PullFailed(e);
                await NatsWorkerService.DelayAsync(TimeSpan.FromMilliseconds(500), token).ConfigureAwait(false);
                continue;
            }

            await using (inbox.ConfigureAwait(false))
            {
                var receiving = ReceiveAsync(inbox, token);
                await AskAsync(token).ConfigureAwait(false);
                await inbox.UnsubscribeAsync().ConfigureAwait(false);
                await receiving.ConfigureAwait(false);
            }
        }
    }

    /// <summary>Sends a pull request whenever none is open and slots are idle, until stopped.</summary>
    private async Task AskAsync(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            var batch = 0;
            lock (_lock)
            {
                var now = Environment.TickCount64;
                if (_asked > 0 && now - _askedAt > (long)Lost.TotalMilliseconds)
                {
                    _idle += _asked; // never answered: lost with a connection
                    _asked = 0;
                }

                if (_asked == 0 && _idle > 0 && now >= _quietUntil)
                {
                    batch = _idle;
                    _asked = batch;
                    _idle = 0;
                    _askedAt = now;
                }
            }

            if (batch > 0)
            {
                try
                {
                    await _queue.Connection.PublishAsync(_next, _requests[batch], replyTo: _inbox, cancellationToken: token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    return;
                }
                catch (NatsException e)
                {
                    _logger.PullFailed(e);
                    EndRequest(quietFor: TimeSpan.FromMilliseconds(500));
                }
            }

            try
            {
                // Woken by a delivery that completes the request, its end, a slot freed or a
                // reconnect; the timeout only checks for a request that was lost.
                await _changed.WaitAsync(TimeSpan.FromSeconds(1), token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ReceiveAsync(INatsSub<byte[]> inbox, CancellationToken token)
    {
        try
        {
            await foreach (var message in inbox.Msgs.ReadAllAsync(token).ConfigureAwait(false))
            {
                if (message.ReplyTo is { } reply && reply.StartsWith("$JS.ACK.", StringComparison.Ordinal))
                {
                    Deliver(new NatsJSMsg<byte[]>(message, _queue.JetStream));
                }
                else if (message.Headers is { Code: 404 or 408 or 409 } status)
                {
                    // Expired or refused (409: e.g. too many waiting requests): ask again, after a
                    // pause when refused, so a refusing server is not asked in a tight loop.
                    EndRequest(quietFor: status.Code == 409 ? TimeSpan.FromMilliseconds(500) : TimeSpan.Zero);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    private void Deliver(INatsJSMsg<byte[]> message)
    {
        bool completed;
        lock (_lock)
        {
            if (_asked > 0)
            {
                _asked--;
            }
            else
            {
                _idle--; // from a request counted as lost: run it all the same, it is leased to us
            }

            completed = _asked == 0;
        }

        if (completed)
        {
            _changed.Release();
        }

        Interlocked.Increment(ref _running);
        _ = Task.Run(async () =>
        {
            try
            {
                await _run(message).ConfigureAwait(false);
            }
            finally
            {
                lock (_lock)
                {
                    _idle++;
                }

                _changed.Release();
                if (Interlocked.Decrement(ref _running) == 0 && _stopping.IsCancellationRequested)
                {
                    _idleAfterStop.TrySetResult();
                }
            }
        });
    }

    private void EndRequest(TimeSpan quietFor)
    {
        lock (_lock)
        {
            _idle += _asked;
            _asked = 0;
            _quietUntil = Environment.TickCount64 + (long)quietFor.TotalMilliseconds;
        }

        _changed.Release();
    }

    private ValueTask OnConnectionOpenedAsync(object? sender, NatsEventArgs args)
    {
        EndRequest(TimeSpan.Zero); // the server forgot the open request with the old connection
        return ValueTask.CompletedTask;
    }
}

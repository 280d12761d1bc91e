namespace Faasten.Fs.Collection;

/// <summary>
/// Runs a <see cref="GarbageCollector"/> every <see cref="CollectorOptions.Interval"/> in the
/// background until disposed. A failed round is reported and the next one runs on schedule;
/// collection is idempotent, so nothing carries over. The composition root starts it.
/// </summary>
public sealed class CollectionRunner : IAsyncDisposable
{
    private readonly GarbageCollector _collector;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly Action<CollectionReport>? _completed;
    private readonly Action<Exception>? _failed;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public CollectionRunner(GarbageCollector collector, CollectorOptions options, TimeProvider? time = null, Action<CollectionReport>? completed = null, Action<Exception>? failed = null)
    {
        ArgumentNullException.ThrowIfNull(collector);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid collector options: " + string.Join(" ", errors), nameof(options));
        }

        (_collector, _interval, _time, _completed, _failed) = (collector, options.Interval, time ?? TimeProvider.System, completed, failed);
    }

    /// <summary>Completed rounds so far, successful or not.</summary>
    public int Rounds => Volatile.Read(ref _rounds);

    private int _rounds;

    public void Start()
    {
        if (_loop is not null)
        {
            throw new InvalidOperationException("The collection runner is already started.");
        }

        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(_interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                try
                {
                    _completed?.Invoke(await _collector.CollectAsync(ct).ConfigureAwait(false));
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    _failed?.Invoke(e);
                }

                Interlocked.Increment(ref _rounds);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}

using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Faasten.Fs.Records;

/// <summary>
/// The worker's and the gateway's view of the records: <see cref="Add"/> hands a finished
/// invocation's record to a background writer that stores batches in one transaction each, so
/// an invocation never waits for the store; reads see the records still waiting as well as the
/// stored ones, so a record can be read as soon as its invocation has answered. Records past
/// the retention are pruned in the background.
/// </summary>
public sealed class InvocationRecords : IAsyncDisposable
{
    private const int MaxBatch = 1024;

    private readonly IInvocationRecordStore _store;
    private readonly TimeProvider _time;
    private readonly Action<Exception>? _onFailure;
    private readonly ConcurrentDictionary<string, InvocationRecord> _pending = new(StringComparer.Ordinal);
    private readonly Channel<InvocationRecord> _writes = Channel.CreateUnbounded<InvocationRecord>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private long _dropped;
    private long _nextPruneTimestamp;
    private int _disposed;

    /// <param name="onFailure">Told of a batch the store refused (the batch is lost) or a failed prune.</param>
    public InvocationRecords(IInvocationRecordStore store, InvocationRecordsOptions options, TimeProvider? time = null, Action<Exception>? onFailure = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid invocation record options: " + string.Join(" ", errors), nameof(options));
        }

        _store = store;
        Options = options;
        _time = time ?? TimeProvider.System;
        _onFailure = onFailure;
        _writer = Task.Run(WriteLoopAsync);
    }

    public InvocationRecordsOptions Options { get; }

    /// <summary>Records dropped because too many were waiting.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Records not yet stored.</summary>
    public int Pending => _pending.Count;

    /// <summary>Queues <paramref name="record"/> for the store; never blocks. False when it was dropped (too many waiting, or closed).</summary>
    public bool Add(InvocationRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (_pending.Count >= Options.MaxPending || !_pending.TryAdd(record.Id, record) || !_writes.Writer.TryWrite(record))
        {
            _pending.TryRemove(new KeyValuePair<string, InvocationRecord>(record.Id, record));
            Interlocked.Increment(ref _dropped);
            return false;
        }

        return true;
    }

    /// <summary>The record with logs and trail, or null when unknown or past the retention.</summary>
    public async ValueTask<InvocationRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        if (_pending.TryGetValue(id, out var pending))
        {
            return pending;
        }

        var record = await _store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return record is not null && record.Queued >= Cutoff() ? record : null;
    }

    /// <summary>Up to <paramref name="count"/> records after <paramref name="after"/>, newest first, without logs and trail.</summary>
    public async ValueTask<IReadOnlyList<InvocationRecord>> ListAsync(string? gate, RecordCursor? after, int count, CancellationToken cancellationToken = default)
    {
        // The waiting ones first (they may be written meanwhile: duplicates are dropped by id).
        var waiting = _pending.Values.Where(r => (gate is null || r.Gate == gate) && (after is null || Before(r, after.Value))).ToList();
        var stored = await _store.ListAsync(gate, after, count, cancellationToken).ConfigureAwait(false);
        var cutoff = Cutoff();
        return waiting.Select(r => r with { Trail = [], Logs = "" })
            .Concat(stored)
            .Where(r => r.Queued >= cutoff)
            .DistinctBy(r => r.Id, StringComparer.Ordinal)
            .OrderByDescending(r => r.Queued.ToUnixTimeMilliseconds())
            .ThenByDescending(r => r.Id, StringComparer.Ordinal)
            .Take(count)
            .ToList();
    }

    /// <summary>Waits until every record added so far has been handed to the store.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        while (!_pending.IsEmpty)
        {
            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _writes.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        await _store.DisposeAsync().ConfigureAwait(false);
    }

    private static bool Before(InvocationRecord record, RecordCursor cursor)
    {
        var ms = record.Queued.ToUnixTimeMilliseconds();
        return ms < cursor.QueuedMs || (ms == cursor.QueuedMs && string.CompareOrdinal(record.Id, cursor.Id) < 0);
    }

    private DateTimeOffset Cutoff() => _time.GetUtcNow() - Options.Retention;

    private async Task WriteLoopAsync()
    {
        var batch = new List<InvocationRecord>(MaxBatch);
        var reader = _writes.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            if (Options.BatchDelay > TimeSpan.Zero && Volatile.Read(ref _disposed) == 0)
            {
                // Not the injected clock: this only gathers work, it decides nothing.
                await Task.Delay(Options.BatchDelay).ConfigureAwait(false);
            }

            while (batch.Count < MaxBatch && reader.TryRead(out var record))
            {
                batch.Add(record);
            }

            try
            {
                await _store.WriteAsync(batch).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                _onFailure?.Invoke(e);
            }

            foreach (var record in batch)
            {
                _pending.TryRemove(new KeyValuePair<string, InvocationRecord>(record.Id, record));
            }

            batch.Clear();
            await PruneIfDueAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask PruneIfDueAsync()
    {
        var now = _time.GetTimestamp();
        if (now < Interlocked.Read(ref _nextPruneTimestamp))
        {
            return;
        }

        // A tenth of the retention between prunes, at most a minute: expired records also stop
        // being shown at once by the cutoff above, so this only bounds the table.
        var interval = TimeSpan.FromTicks(Math.Min(Options.Retention.Ticks / 10, TimeSpan.FromMinutes(1).Ticks));
        Interlocked.Exchange(ref _nextPruneTimestamp, now + (long)(interval.TotalSeconds * _time.TimestampFrequency));
        try
        {
            await _store.PruneAsync(Cutoff()).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _onFailure?.Invoke(e);
        }
    }
}

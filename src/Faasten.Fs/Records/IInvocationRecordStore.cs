namespace Faasten.Fs.Records;

/// <summary>
/// Where invocation records are kept: a table of the metadata store (SQLite embedded,
/// PostgreSQL in a cluster), so any gateway answers for any worker's invocations.
/// The store knows nothing of labels; the gateway releases each record under its own.
/// </summary>
public interface IInvocationRecordStore : IAsyncDisposable
{
    /// <summary>Stores the records in one transaction; a record whose id is already stored is left as it is.</summary>
    ValueTask WriteAsync(IReadOnlyList<InvocationRecord> records, CancellationToken cancellationToken = default);

    /// <summary>The record with its logs and trail, or null.</summary>
    ValueTask<InvocationRecord?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="count"/> records strictly after <paramref name="after"/> in
    /// newest-first order (queue time, then id), of one gate when <paramref name="gate"/> is set;
    /// without logs and trail.
    /// </summary>
    ValueTask<IReadOnlyList<InvocationRecord>> ListAsync(string? gate, RecordCursor? after, int count, CancellationToken cancellationToken = default);

    /// <summary>Deletes the records queued before <paramref name="before"/>; returns how many.</summary>
    ValueTask<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken = default);
}

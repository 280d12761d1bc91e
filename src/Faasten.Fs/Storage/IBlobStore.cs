namespace Faasten.Fs.Storage;

/// <summary>
/// Content-addressed, immutable bytes. A blob is visible under its SHA-256 (lower-case hex)
/// only once completely written; a crash mid-write never leaves a partial blob.
/// </summary>
public interface IBlobStore
{
    /// <summary>Starts a streaming write. Dispose without committing to abandon it.</summary>
    IBlobWriter BeginWrite();

    /// <summary>Opens a blob for reading, or null when no blob has that hash.</summary>
    ValueTask<Stream?> OpenReadAsync(string hash, CancellationToken cancellationToken = default);

    /// <summary>The blob's length in bytes, or null when absent.</summary>
    ValueTask<long?> GetLengthAsync(string hash, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every stored blob with the last time it was committed (a commit of content already
    /// present counts), for the collector. Not a snapshot: blobs committed meanwhile may be missed.
    /// </summary>
    IAsyncEnumerable<StoredBlob> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the blob unless it was committed at or after <paramref name="cutoff"/>, atomically
    /// with respect to commits: a commit racing this call either lands after it (and stores the
    /// content afresh) or refreshes the time first (and the blob stays). True when deleted.
    /// </summary>
    ValueTask<bool> DeleteIfCommittedBeforeAsync(string hash, DateTimeOffset cutoff, CancellationToken cancellationToken = default);
}

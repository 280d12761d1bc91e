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
}

namespace Faasten.Fs.Storage;

/// <summary>
/// One blob being written. Bytes are hashed as they stream through, never buffered whole;
/// <see cref="CommitAsync"/> publishes atomically under the hash (de-duplicating).
/// </summary>
public interface IBlobWriter : IAsyncDisposable
{
    long Length { get; }

    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);

    /// <summary>Publishes the blob and returns its SHA-256 as lower-case hex.</summary>
    ValueTask<string> CommitAsync(CancellationToken cancellationToken = default);
}

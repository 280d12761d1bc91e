using System.Security.Cryptography;

namespace Faasten.Fs.Storage;

/// <summary>
/// Streams one blob into a temp file while hashing it; memory use is the file buffer and
/// the hash state, whatever the blob's size.
/// </summary>
internal sealed class LocalBlobWriter : IBlobWriter
{
    private const int BufferSize = 64 * 1024;

    private readonly LocalBlobStore store;
    private readonly string tempPath;
    private readonly FileStream file;
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private State state;

    public LocalBlobWriter(LocalBlobStore store, string tempPath)
    {
        this.store = store;
        this.tempPath = tempPath;

        // FileShare.None takes an exclusive lock that tells the startup sweep this temp is alive.
        file = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize);
    }

    private enum State
    {
        Writing,
        Committed,
        Failed,
        Disposed,
    }

    public long Length { get; private set; }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        ThrowIfNotWriting();
        try
        {
            hash.AppendData(data.Span);
            await file.WriteAsync(data, cancellationToken);
            Length += data.Length;
        }
        catch
        {
            // The hash and the file may now disagree: this blob can only be abandoned.
            state = State.Failed;
            throw;
        }
    }

    public async ValueTask<string> CommitAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfNotWriting();
        cancellationToken.ThrowIfCancellationRequested();
        state = State.Failed;
        await file.FlushAsync(cancellationToken);
        file.Flush(flushToDisk: true);
        await file.DisposeAsync();
        var digest = Convert.ToHexStringLower(hash.GetHashAndReset());
        store.Publish(tempPath, digest);
        state = State.Committed;
        return digest;
    }

    public async ValueTask DisposeAsync()
    {
        if (state == State.Disposed)
        {
            return;
        }

        var committed = state == State.Committed;
        state = State.Disposed;
        await file.DisposeAsync();
        hash.Dispose();
        if (!committed)
        {
            try
            {
                File.Delete(tempPath);
            }
            catch (IOException)
            {
                // Left for the next startup sweep.
            }
        }
    }

    private void ThrowIfNotWriting()
    {
        switch (state)
        {
            case State.Writing:
                return;
            case State.Disposed:
                throw new ObjectDisposedException(nameof(IBlobWriter));
            case State.Committed:
                throw new InvalidOperationException("The blob is already committed.");
            default:
                throw new InvalidOperationException("A previous write or commit failed; dispose this writer and start again.");
        }
    }
}

using System.Security.Cryptography;

namespace Faasten.Fs.Storage;

/// <summary>
/// Streams one blob into a temp file while hashing it; memory use is the file buffer and
/// the hash state, whatever the blob's size.
/// </summary>
internal sealed class LocalBlobWriter : IBlobWriter
{
    private const int BufferSize = 64 * 1024;

    private readonly LocalBlobStore _store;
    private readonly string _tempPath;
    private readonly FileStream _file;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private State _state;

    public LocalBlobWriter(LocalBlobStore store, string tempPath)
    {
        _store = store;
        _tempPath = tempPath;

        // FileShare.None takes an exclusive lock that tells the startup sweep this temp is alive.
        _file = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize);
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
            _hash.AppendData(data.Span);
            await _file.WriteAsync(data, cancellationToken);
            Length += data.Length;
        }
        catch
        {
            // The hash and the file may now disagree: this blob can only be abandoned.
            _state = State.Failed;
            throw;
        }
    }

    public async ValueTask<string> CommitAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfNotWriting();
        cancellationToken.ThrowIfCancellationRequested();
        _state = State.Failed;
        await _file.FlushAsync(cancellationToken);
        _file.Flush(flushToDisk: true);
        await _file.DisposeAsync();
        var digest = Convert.ToHexStringLower(_hash.GetHashAndReset());
        await _store.PublishAsync(_tempPath, digest, cancellationToken);
        _state = State.Committed;
        return digest;
    }

    public async ValueTask DisposeAsync()
    {
        if (_state == State.Disposed)
        {
            return;
        }

        var committed = _state == State.Committed;
        _state = State.Disposed;
        await _file.DisposeAsync();
        _hash.Dispose();
        if (!committed)
        {
            try
            {
                File.Delete(_tempPath);
            }
            catch (IOException)
            {
                // Left for the next startup sweep.
            }
        }
    }

    private void ThrowIfNotWriting()
    {
        switch (_state)
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

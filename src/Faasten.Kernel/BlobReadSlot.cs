using Faasten.Fs.Storage;

namespace Faasten.Kernel;

/// <summary>
/// A blob opened with blob_open. The store's stream stays open between reads so a function
/// reading sequentially costs one open, not one per chunk.
/// </summary>
internal sealed class BlobReadSlot(IBlobStore store, string hash, long length, Stream stream) : BlobSlot
{
    private Stream _stream = stream;
    private long _position;

    public long Length => length;

    /// <summary>Reads up to <paramref name="count"/> bytes at <paramref name="offset"/>; shorter only at the end.</summary>
    public async ValueTask<byte[]> ReadAsync(long offset, int count, CancellationToken ct)
    {
        var n = (int)Math.Min(count, Math.Max(0, length - offset));
        if (n == 0)
        {
            return [];
        }

        if (offset != _position)
        {
            await SeekAsync(offset, ct).ConfigureAwait(false);
        }

        var buffer = new byte[n];
        var read = await _stream.ReadAtLeastAsync(buffer, n, throwOnEndOfStream: false, ct).ConfigureAwait(false);
        _position += read;
        return read == n ? buffer : buffer[..read];
    }

    public override ValueTask DisposeAsync() => _stream.DisposeAsync();

    private async ValueTask SeekAsync(long offset, CancellationToken ct)
    {
        if (_stream.CanSeek)
        {
            _stream.Position = _position = offset;
            return;
        }

        // A forward-only store stream (e.g. an object-store GET): reopen for a backward seek,
        // then skip ahead.
        if (offset < _position)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
            _stream = await store.OpenReadAsync(hash, ct).ConfigureAwait(false)
                ?? throw new IOException($"blob {hash} vanished from the store while open");
            _position = 0;
        }

        var skip = new byte[64 * 1024];
        while (_position < offset)
        {
            var n = await _stream.ReadAsync(skip.AsMemory(0, (int)Math.Min(skip.Length, offset - _position)), ct).ConfigureAwait(false);
            if (n == 0)
            {
                return;
            }

            _position += n;
        }
    }
}

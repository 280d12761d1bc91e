using System.Buffers;
using System.Buffers.Binary;
using Google.Protobuf;

namespace Faasten.Protocol.Framing;

/// <summary>
/// Reads length-prefixed protobuf frames from a stream. Buffered: a read that finds a whole
/// frame already in the buffer completes synchronously without touching the stream.
/// Not thread-safe; one reader per stream.
/// </summary>
internal sealed class FrameReader : IDisposable
{
    private const int InitialBufferSize = 64 * 1024;

    // Chunk-sized frames (1 MiB) keep their buffer; anything that needed more gives it back.
    private const int RetainedBufferSize = 2 * FrameLimits.MaxChunkSize;

    private readonly Stream _stream;
    private readonly int _maxFrameSize;
    private byte[] _buffer;
    private int _start;
    private int _end;

    public FrameReader(Stream stream, int maxFrameSize = FrameLimits.MaxFrameSize)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxFrameSize);
        _stream = stream;
        _maxFrameSize = maxFrameSize;
        _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
    }

    /// <summary>
    /// Reads the next frame as a <typeparamref name="T"/>. Returns null when the stream ends
    /// cleanly between frames; throws <see cref="ProtocolException"/> when it ends inside one,
    /// when a length exceeds the limit, or when the body does not parse.
    /// </summary>
    public ValueTask<T?> ReadAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken = default)
        where T : class, IMessage<T>
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        if (TryParseBuffered(parser, out var message))
        {
            return new ValueTask<T?>(message);
        }
        return ReadSlowAsync(this, parser, cancellationToken);

        static async ValueTask<T?> ReadSlowAsync(FrameReader reader, MessageParser<T> parser, CancellationToken cancellationToken)
        {
            while (true)
            {
                reader.MakeRoom();
                var read = await reader._stream.ReadAsync(reader._buffer.AsMemory(reader._end), cancellationToken)
                    .ConfigureAwait(false);
                if (read == 0)
                {
                    return reader.AtEndOfStream<T>();
                }
                reader._end += read;
                if (reader.TryParseBuffered(parser, out var message))
                {
                    return message;
                }
            }
        }
    }

    public void Dispose()
    {
        if (_buffer.Length != 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer, clearArray: true);
            _buffer = [];
        }
    }

    private bool TryParseBuffered<T>(MessageParser<T> parser, out T? message)
        where T : class, IMessage<T>
    {
        message = null;
        var available = _end - _start;
        if (available < FrameLimits.HeaderSize)
        {
            return false;
        }
        var length = ReadLength();
        if (available - FrameLimits.HeaderSize < length)
        {
            return false;
        }

        var body = _buffer.AsSpan(_start + FrameLimits.HeaderSize, length);
        try
        {
            message = parser.ParseFrom(body);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new ProtocolException(
                ProtocolError.Malformed,
                $"Frame of {length} bytes is not a valid {typeof(T).Name}: {ex.Message}",
                ex);
        }

        _start += FrameLimits.HeaderSize + length;
        if (_start == _end)
        {
            _start = _end = 0;
            if (_buffer.Length > RetainedBufferSize)
            {
                ArrayPool<byte>.Shared.Return(_buffer, clearArray: true);
                _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
            }
        }
        return true;
    }

    /// <summary>The body length of the frame at <see cref="_start"/>, validated against the limit.</summary>
    private int ReadLength()
    {
        var length = BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(_start, FrameLimits.HeaderSize));
        if (length > (uint)_maxFrameSize)
        {
            throw new ProtocolException(
                ProtocolError.FrameTooLarge,
                $"Frame length {length} exceeds the {_maxFrameSize}-byte limit.");
        }
        return (int)length;
    }

    /// <summary>Ensures the buffer has free space after <see cref="_end"/> for the frame in progress.</summary>
    private void MakeRoom()
    {
        var available = _end - _start;
        var needed = available < FrameLimits.HeaderSize
            ? FrameLimits.HeaderSize
            : FrameLimits.HeaderSize + ReadLength();
        // Read ahead up to the initial size so small frames arrive in batches.
        needed = Math.Max(needed, InitialBufferSize);

        if (_buffer.Length - _start >= needed && _end < _buffer.Length)
        {
            return;
        }
        if (_buffer.Length >= needed)
        {
            _buffer.AsSpan(_start, available).CopyTo(_buffer);
        }
        else
        {
            var larger = ArrayPool<byte>.Shared.Rent(needed);
            _buffer.AsSpan(_start, available).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer, clearArray: true);
            _buffer = larger;
        }
        _start = 0;
        _end = available;
    }

    private T? AtEndOfStream<T>()
        where T : class
    {
        var available = _end - _start;
        if (available == 0)
        {
            return null;
        }
        if (available < FrameLimits.HeaderSize)
        {
            throw new ProtocolException(
                ProtocolError.Truncated,
                $"Stream ended inside a frame header ({available} of {FrameLimits.HeaderSize} bytes).");
        }
        var length = ReadLength();
        throw new ProtocolException(
            ProtocolError.Truncated,
            $"Stream ended inside a frame ({available - FrameLimits.HeaderSize} of {length} body bytes).");
    }
}

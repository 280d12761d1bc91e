using System.Buffers;
using System.Buffers.Binary;
using Google.Protobuf;

namespace Faasten.Protocol.Framing;

/// <summary>
/// Writes length-prefixed protobuf frames to a stream, one write call per frame.
/// Not thread-safe: the channel that owns it writes from one logical flow at a time.
/// </summary>
internal sealed class FrameWriter
{
    private readonly Stream _stream;
    private readonly int _maxFrameSize;

    public FrameWriter(Stream stream, int maxFrameSize = FrameLimits.MaxFrameSize)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxFrameSize);
        _stream = stream;
        _maxFrameSize = maxFrameSize;
    }

    /// <summary>
    /// Writes <paramref name="message"/> as one frame. A message larger than the frame limit is
    /// our own bug (callers chunk bulk data), so it throws before anything reaches the stream.
    /// </summary>
    public ValueTask WriteAsync(IMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var size = message.CalculateSize();
        if (size > _maxFrameSize)
        {
            throw new ProtocolException(
                ProtocolError.FrameTooLarge,
                $"Refusing to send a {message.Descriptor.Name} of {size} bytes; the frame limit is {_maxFrameSize}.");
        }

        var length = FrameLimits.HeaderSize + size;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, (uint)size);
        message.WriteTo(buffer.AsSpan(FrameLimits.HeaderSize, size));

        ValueTask write;
        try
        {
            write = _stream.WriteAsync(buffer.AsMemory(0, length), cancellationToken);
        }
        catch
        {
            Return(buffer, length);
            throw;
        }
        if (write.IsCompletedSuccessfully)
        {
            Return(buffer, length);
            return default;
        }
        return AwaitAndReturn(write, buffer, length);

        static async ValueTask AwaitAndReturn(ValueTask write, byte[] buffer, int length)
        {
            try
            {
                await write.ConfigureAwait(false);
            }
            finally
            {
                Return(buffer, length);
            }
        }
    }

    // Frames carry file and blob contents: wipe what we used before the array is shared again.
    private static void Return(byte[] buffer, int length)
    {
        buffer.AsSpan(0, length).Clear();
        ArrayPool<byte>.Shared.Return(buffer);
    }
}

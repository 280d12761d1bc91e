using System.Buffers;

namespace Faasten.Gateway.Http;

/// <summary>A whole request body in a pooled array; return it with <see cref="Dispose"/>.</summary>
internal sealed class BodyBuffer(byte[] array, int length) : IDisposable
{
    private byte[]? _array = array;

    public ReadOnlyMemory<byte> Memory => (_array ?? throw new ObjectDisposedException(nameof(BodyBuffer))).AsMemory(0, length);

    public int Length => length;

    public void Dispose()
    {
        if (_array is { } a)
        {
            _array = null;
            ArrayPool<byte>.Shared.Return(a);
        }
    }
}

using System.Text;

namespace Faasten.Sandbox.Bubblewrap;

/// <summary>
/// Drains a VM's console (stdout and stderr share one pipe) so the function can never block on
/// a full pipe, keeping only the last few KiB. The text may hold function data: it is for tests
/// and start-failure diagnostics, never for logs.
/// </summary>
/// <remarks>
/// Redirected pipes of a Process have no asynchronous I/O on Unix: ReadAsync parks a thread-pool
/// thread per pending read, and a worker with many idle VMs would starve the pool. A dedicated
/// thread with a small stack does the blocking reads instead.
/// </remarks>
internal sealed class ConsoleTail
{
    private const int Capacity = 16 * 1024;
    private readonly byte[] _ring = new byte[Capacity];
    private readonly Lock _lock = new();
    private long _written;

    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConsoleTail(Stream stream)
    {
        new Thread(() => Drain(stream), maxStackSize: 128 * 1024) { IsBackground = true, Name = "Faasten VM console" }.Start();
    }

    /// <summary>Completes when the stream ends (every writer in the VM is gone).</summary>
    public Task Completion => _completion.Task;

    public override string ToString()
    {
        lock (_lock)
        {
            var length = (int)Math.Min(_written, Capacity);
            var start = (int)((_written - length) % Capacity);
            var bytes = new byte[length];
            var first = Math.Min(length, Capacity - start);
            _ring.AsSpan(start, first).CopyTo(bytes);
            _ring.AsSpan(0, length - first).CopyTo(bytes.AsSpan(first));
            return Encoding.UTF8.GetString(bytes);
        }
    }

    private void Drain(Stream stream)
    {
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                Append(buffer.AsSpan(0, read));
            }
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            _completion.TrySetResult();
        }
    }

    private void Append(ReadOnlySpan<byte> data)
    {
        lock (_lock)
        {
            if (data.Length > Capacity)
            {
                _written += data.Length - Capacity;
                data = data[^Capacity..];
            }
            foreach (var b in data)
            {
                _ring[(int)(_written++ % Capacity)] = b;
            }
        }
    }
}

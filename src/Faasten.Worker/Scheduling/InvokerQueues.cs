using Google.Protobuf;

namespace Faasten.Worker.Scheduling;

/// <summary>
/// Requests waiting for a slot: one FIFO per invoker, served round-robin across the invokers
/// that have requests waiting, within a total capacity and a per-invoker one. One invoker
/// filling its share is refused alone; another invoker's request still gets in and waits for
/// the next free slot behind at most one request of each other invoker, not behind all of them.
/// </summary>
/// <remarks>
/// Invokers are told apart by the encoding of their privilege, which is canonical (a reduced
/// component in canonical order, DESIGN §2) in every request the gateway, the event server and
/// the kernel build, so equal privileges share one queue without the scheduler parsing labels.
/// </remarks>
internal sealed class InvokerQueues<T>(int capacity, int perInvoker)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<ByteString, Queue<T>> _byInvoker = [];
    private readonly Queue<ByteString> _turns = new();
    private readonly SemaphoreSlim _waiting = new(0, int.MaxValue);
    private int _count;
    private bool _completed;

    public int Count => Volatile.Read(ref _count);

    /// <summary>False when the queue is full, the invoker's share is, or the queue was completed.</summary>
    public bool TryEnqueue(ByteString invoker, T item)
    {
        lock (_lock)
        {
            if (_completed || _count >= capacity)
            {
                return false;
            }

            if (!_byInvoker.TryGetValue(invoker, out var queue))
            {
                queue = new Queue<T>();
                _byInvoker.Add(invoker, queue);
                _turns.Enqueue(invoker);
            }
            else if (queue.Count >= perInvoker)
            {
                return false;
            }

            queue.Enqueue(item);
            _count++;
        }

        _waiting.Release();
        return true;
    }

    /// <summary>The next request, the invokers taking turns; false once completed and empty.</summary>
    public async ValueTask<(bool Ok, T? Item)> DequeueAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _waiting.WaitAsync(cancellationToken).ConfigureAwait(false);
            lock (_lock)
            {
                if (_turns.TryDequeue(out var invoker))
                {
                    var queue = _byInvoker[invoker];
                    var item = queue.Dequeue();
                    if (queue.Count > 0)
                    {
                        _turns.Enqueue(invoker);
                    }
                    else
                    {
                        _byInvoker.Remove(invoker);
                    }

                    _count--;
                    return (true, item);
                }

                if (_completed)
                {
                    // Leave the wake-up for any other reader, then report the end.
                    _waiting.Release();
                    return (false, default);
                }
            }
        }
    }

    /// <summary>Refuses new requests; readers get what is queued, then the end.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
        }

        _waiting.Release();
    }

    /// <summary>Removes and returns everything still queued (when the scheduler stops).</summary>
    public List<T> TakeAll()
    {
        lock (_lock)
        {
            var all = new List<T>(_count);
            while (_turns.TryDequeue(out var invoker))
            {
                all.AddRange(_byInvoker[invoker]);
            }

            _byInvoker.Clear();
            _count = 0;
            return all;
        }
    }
}

using Faasten.Labels;

namespace Faasten.Worker.Scheduling;

/// <summary>
/// Requests waiting for a slot: one FIFO per invoker, served round-robin across the invokers
/// that have requests waiting, within a total capacity and a per-invoker one. One invoker
/// filling its share is refused alone; another invoker's request still gets in and waits for
/// the next free slot behind at most one request of each other invoker, not behind all of them.
/// With a running limit, an invoker that has that many invocations running is skipped until
/// one of them finishes (<see cref="Finished"/>).
/// </summary>
/// <remarks>
/// Invokers are told apart by the encoding of their privilege, which is canonical (a reduced
/// component in canonical order, DESIGN §2) in every request the gateway, the event server and
/// the kernel build, so equal privileges share one queue without the scheduler parsing labels.
/// </remarks>
internal sealed class InvokerQueues<T>(int capacity, int perInvoker, int runningPerInvoker = int.MaxValue)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Component, Queue<T>> _byInvoker = [];
    private readonly Dictionary<Component, int> _running = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<Component> _turns = new();
    private readonly SemaphoreSlim _waiting = new(0, int.MaxValue);
    private int _count;
    private bool _completed;

    public int Count => Volatile.Read(ref _count);

    /// <summary>False when the queue is full, the invoker's share is, or the queue was completed.</summary>
    public bool TryEnqueue(Component invoker, T item)
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
        Signal();
        return true;
    }

    /// <summary>
    /// Starts a request without queueing when nothing waits and its invoker is under the running
    /// limit; the caller then owes <see cref="Finished"/>.
    /// </summary>
    public bool TryStartDirect(Component invoker)
    {
        lock (_lock)
        {
            if (_completed || _count > 0 || Running(invoker) >= runningPerInvoker)
            {
                return false;
            }

            _running[invoker] = Running(invoker) + 1;
            return true;
        }
    }

    /// <summary>
    /// The next request, the invokers taking turns and those at their running limit skipped;
    /// false once completed and empty. The caller owes <see cref="Finished"/> for the invoker.
    /// </summary>
    public async ValueTask<(bool Ok, T? Item, Component Invoker)> DequeueAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _waiting.WaitAsync(cancellationToken).ConfigureAwait(false);
            Task changed;
            lock (_lock)
            {
                for (var turn = _turns.Count; turn > 0; turn--)
                {
                    var invoker = _turns.Dequeue();
                    if (Running(invoker) >= runningPerInvoker)
                    {
                        _turns.Enqueue(invoker);
                        continue;
                    }

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
                    _running[invoker] = Running(invoker) + 1;
                    return (true, item, invoker);
                }

                if (_completed && _count == 0)
                {
                    // Leave the wake-up for any other reader, then report the end.
                    _waiting.Release();
                    return (false, default, Component.True);
                }

                // Everything waiting belongs to invokers at their limit: give the wake-up back
                // and try again once one of their invocations finishes or another request arrives.
                changed = _changed.Task;
            }

            _waiting.Release();
            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One of <paramref name="invoker"/>'s started requests finished.</summary>
    public void Finished(Component invoker)
    {
        lock (_lock)
        {
            var left = Running(invoker) - 1;
            if (left > 0)
            {
                _running[invoker] = left;
            }
            else
            {
                _running.Remove(invoker);
            }
        }

        Signal();
    }

    private void Signal()
    {
        TaskCompletionSource signal;
        lock (_lock)
        {
            signal = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        signal.TrySetResult();
    }

    private int Running(Component invoker) => _running.GetValueOrDefault(invoker);

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

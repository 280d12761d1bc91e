using Faasten.Labels;
using Faasten.Sandbox.Vm;
using Faasten.Worker.Logging;
using Microsoft.Extensions.Logging;

namespace Faasten.Worker.Execution;

/// <summary>
/// The worker's VMs: idle ones per function, tagged with labels, and the memory budget that
/// bounds all live ones (DESIGN §4 steps 3 and 5).
/// </summary>
/// <remarks>
/// <para><b>Reuse.</b> An idle VM serves a request only if its label ⊑ the request's start
/// label: whatever it remembers, the new invocation may already know. Among several such VMs the
/// pool takes an exact match, else the <i>most</i> tainted one (ties: most recently used). The
/// run raises whichever VM it gets to at least the start label, so spending a lower VM would
/// waste the only VM that can still serve less tainted requests: with alternating public and
/// private requests, best fit keeps one warm VM per label where "least tainted first" would
/// taint the public VM and cold-start every public request.</para>
/// <para><b>Memory.</b> Live VMs (starting, busy and idle) count their memory limit against the
/// budget. A new VM first evicts idle VMs, least recently used first. When busy VMs hold the
/// rest, a top-level request waits until one finishes. A nested request (depth &gt; 0) never
/// waits: its callers are blocked on it while holding their own VMs, so it could be waiting on
/// itself; it starts over budget instead. The overshoot is bounded because a sync chain runs
/// inside its root's scheduler slot: at most slots × (max call depth + 1) VMs are busy.</para>
/// <para>A VM is held by at most one invocation: taking it removes it from the idle list.</para>
/// </remarks>
internal sealed class VmPool : IAsyncDisposable
{
    private readonly IVmBackend _backend;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly LinkedList<IdleVm> _idle = new(); // least recently used first
    private TaskCompletionSource _changed = NewSignal();
    private int _liveMb;
    private int _idleMb;
    private int _liveVms;
    private bool _disposed;

    public VmPool(IVmBackend backend, int budgetMb, ILogger logger, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(budgetMb, 1);
        _backend = backend;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        BudgetMb = budgetMb;
    }

    public int BudgetMb { get; }

    /// <summary>Memory reserved by live and starting VMs.</summary>
    public int LiveMemoryMb
    {
        get
        {
            lock (_lock)
            {
                return _liveMb;
            }
        }
    }

    public int LiveVms
    {
        get
        {
            lock (_lock)
            {
                return _liveVms;
            }
        }
    }

    public int IdleVms
    {
        get
        {
            lock (_lock)
            {
                return _idle.Count;
            }
        }
    }

    /// <summary>Whether a VM this large can ever start here.</summary>
    public bool Fits(int memoryMb) => memoryMb <= BudgetMb;

    /// <summary>
    /// An idle VM of <paramref name="key"/> whose label ⊑ <paramref name="start"/>, else a fresh
    /// one made from <paramref name="spec"/> (asked for only then: unpacking an image is slow).
    /// </summary>
    /// <param name="nested">The request comes from a function blocked on it: start over budget rather than wait.</param>
    /// <exception cref="VmStartException">The fresh VM failed to start.</exception>
    public async ValueTask<VmLease> AcquireAsync(FunctionKey key, Label start, bool nested, Func<CancellationToken, ValueTask<VmSpec>> spec, CancellationToken ct)
    {
        var victims = new List<IVm>();
        try
        {
            while (true)
            {
                VmLease? reused;
                Task changed;
                int liveMb;
                lock (_lock)
                {
                    ObjectDisposedException.ThrowIf(_disposed, this);
                    reused = TakeIdle(key, start, victims);
                    if (reused is null && TryReserve(key.MemoryMb, nested, victims))
                    {
                        break;
                    }

                    changed = _changed.Task;
                    liveMb = _liveMb;
                }

                if (reused is not null)
                {
                    _logger.VmReused(reused.Vm.Id, reused.Label, start);
                    return reused;
                }

                await DisposeAllAsync(victims).ConfigureAwait(false);
                _logger.WaitingForMemory(key.MemoryMb, liveMb, BudgetMb);
                await changed.WaitAsync(ct).ConfigureAwait(false);
            }
        }
        finally
        {
            // Evicted and dead VMs go before the new one starts, so their memory is really free.
            await DisposeAllAsync(victims).ConfigureAwait(false);
        }

        return await StartReservedAsync(key, spec, ct).ConfigureAwait(false);
    }

    /// <summary>Puts a VM that finished cleanly back, tagged with its invocation's final label.</summary>
    public async ValueTask ReturnAsync(VmLease lease, Label finalLabel)
    {
        bool kept;
        lock (_lock)
        {
            kept = !_disposed && lease.Vm.IsIdle;
            if (kept)
            {
                _idle.AddLast(new IdleVm(lease.Vm, lease.Key, finalLabel));
                _idleMb += lease.Key.MemoryMb;
            }
            else
            {
                Drop(lease.Key.MemoryMb);
            }

            Signal();
        }

        if (!kept)
        {
            await lease.Vm.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Destroys a VM that failed, timed out, ran out of memory or broke the protocol.</summary>
    public async ValueTask DestroyAsync(VmLease lease)
    {
        lock (_lock)
        {
            Drop(lease.Key.MemoryMb);
            Signal();
        }

        await lease.Vm.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Destroys every idle VM (the next request of each function starts cold).</summary>
    public ValueTask EvictIdleAsync() => EvictIdleAsync(dispose: false);

    /// <summary>Destroys the idle VMs; busy ones are destroyed as their invocations return them.</summary>
    public ValueTask DisposeAsync() => EvictIdleAsync(dispose: true);

    private async ValueTask EvictIdleAsync(bool dispose)
    {
        var victims = new List<IVm>();
        lock (_lock)
        {
            _disposed |= dispose;
            while (_idle.First is { } node)
            {
                RemoveIdle(node);
                Drop(node.Value.Key.MemoryMb);
                victims.Add(node.Value.Vm);
            }

            Signal();
        }

        await DisposeAllAsync(victims).ConfigureAwait(false);
    }

    private VmLease? TakeIdle(FunctionKey key, Label start, List<IVm> victims)
    {
        LinkedListNode<IdleVm>? best = null;
        for (var node = _idle.Last; node is not null;)
        {
            var previous = node.Previous;
            var idle = node.Value;
            if (idle.Key == key)
            {
                if (!idle.Vm.IsIdle)
                {
                    // Died while idle (killed, or its process exited): forget it.
                    RemoveIdle(node);
                    Drop(idle.Key.MemoryMb);
                    victims.Add(idle.Vm);
                }
                else if (idle.Label.CanFlowTo(start))
                {
                    if (idle.Label.Equals(start))
                    {
                        best = node;
                        break;
                    }

                    if (best is null || (best.Value.Label.CanFlowTo(idle.Label) && !best.Value.Label.Equals(idle.Label)))
                    {
                        best = node;
                    }
                }
            }

            node = previous;
        }

        if (best is null)
        {
            return null;
        }

        RemoveIdle(best);
        return new VmLease(best.Value.Vm, key, best.Value.Label, Fresh: false);
    }

    private bool TryReserve(int memoryMb, bool nested, List<IVm> victims)
    {
        var fitsAfterEviction = _liveMb - _idleMb + memoryMb <= BudgetMb;
        if (!fitsAfterEviction && !nested)
        {
            return false;
        }

        while (_liveMb + memoryMb > BudgetMb && _idle.First is { } lru)
        {
            RemoveIdle(lru);
            Drop(lru.Value.Key.MemoryMb);
            victims.Add(lru.Value.Vm);
            _logger.VmEvicted(lru.Value.Vm.Id, lru.Value.Label, lru.Value.Key.MemoryMb);
        }

        if (!fitsAfterEviction)
        {
            _logger.MemoryOvercommitted(memoryMb, _liveMb, BudgetMb);
        }

        _liveMb += memoryMb;
        return true;
    }

    private async ValueTask<VmLease> StartReservedAsync(FunctionKey key, Func<CancellationToken, ValueTask<VmSpec>> spec, CancellationToken ct)
    {
        var started = _time.GetTimestamp();
        IVm vm;
        try
        {
            vm = await _backend.StartAsync(await spec(ct).ConfigureAwait(false), ct).ConfigureAwait(false);
        }
        catch
        {
            lock (_lock)
            {
                _liveMb -= key.MemoryMb;
                Signal();
            }

            throw;
        }

        lock (_lock)
        {
            _liveVms++;
        }

        _logger.VmStarted(vm.Id, key.ImageHash, key.MemoryMb, _time.GetElapsedTime(started).TotalMilliseconds);
        return new VmLease(vm, key, Label.Bottom, Fresh: true);
    }

    private void RemoveIdle(LinkedListNode<IdleVm> node)
    {
        _idle.Remove(node);
        _idleMb -= node.Value.Key.MemoryMb;
    }

    private void Drop(int memoryMb)
    {
        _liveMb -= memoryMb;
        _liveVms--;
    }

    // Wakes every waiter; each re-checks under the lock. Waiters are few (at most the slots).
    private void Signal()
    {
        _changed.TrySetResult();
        _changed = NewSignal();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static async ValueTask DisposeAllAsync(List<IVm> vms)
    {
        foreach (var vm in vms)
        {
            await vm.DisposeAsync().ConfigureAwait(false);
        }

        vms.Clear();
    }

    private sealed record IdleVm(IVm Vm, FunctionKey Key, Label Label);
}

using Faasten.Labels;
using Faasten.Protocol.Invocations;
using Faasten.Sandbox.Vm;
using Faasten.Worker.Logging;
using Microsoft.Extensions.Logging;

namespace Faasten.Worker.Execution;

/// <summary>
/// The worker's VMs: idle ones per gate, tagged with labels, and the memory budget that
/// bounds all live ones (DESIGN §4 steps 3 and 5).
/// </summary>
/// <remarks>
/// <para><b>The invariant.</b> Whether a request finds a warm VM, and which, depends only on
/// requests whose labels flow to its own. A VM's behaviour (its module-level state) is a
/// storage channel from every invocation it ran to every later one, and so is its absence: if
/// a secret request could consume or evict a public VM, the next public request would see a
/// fresh VM instead of its old one and learn one bit of the secret.</para>
/// <para><b>Reuse.</b> A request with start label L takes an idle VM of the same gate tagged
/// exactly L, else a fresh one. It never takes a VM tagged lower (that VM is what lower
/// requests would have found) nor higher (it remembers more than L may know). A VM goes back
/// tagged with the highest label its invocation held, so it serves only requests at that label.</para>
/// <para><b>Memory.</b> Live VMs (starting, busy and idle) count their memory limit against the
/// budget. To make room a request evicts idle VMs, least recently used first, but only those
/// whose tag its own label flows to: the requests that later find them missing may know
/// everything it knows. When the rest is held by busy VMs, or by idle VMs it may not evict, a
/// top-level request waits until a VM finishes or an idle one expires. Idle VMs expire after
/// <see cref="IdleTimeout"/>, by time alone. A nested request (depth &gt; 0) never waits, since
/// its callers hold their own VMs while blocked on it and could be waiting on themselves: it is
/// refused (out of memory) instead, so a chain of nested calls never holds more than the budget.</para>
/// <para>A VM is held by at most one invocation: taking it removes it from the idle list.</para>
/// </remarks>
internal sealed class VmPool : IAsyncDisposable
{
    private readonly IVmBackend _backend;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly LinkedList<IdleVm> _idle = new(); // least recently used first
    private readonly ITimer _sweeper;
    private TaskCompletionSource _changed = NewSignal();
    private int _liveMb;
    private int _idleMb;
    private int _liveVms;
    private bool _disposed;

    public VmPool(IVmBackend backend, int budgetMb, ILogger logger, TimeProvider? time = null, TimeSpan? idleTimeout = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(budgetMb, 1);
        _backend = backend;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        BudgetMb = budgetMb;
        IdleTimeout = idleTimeout ?? TimeSpan.FromMinutes(10);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(IdleTimeout, TimeSpan.Zero, nameof(idleTimeout));
        var period = TimeSpan.FromTicks(Math.Clamp(IdleTimeout.Ticks / 4, TimeSpan.TicksPerSecond, TimeSpan.TicksPerMinute));
        _sweeper = _time.CreateTimer(static state => _ = ((VmPool)state!).ExpireIdleAsync().AsTask(), this, period, period);
    }

    public int BudgetMb { get; }

    /// <summary>How long a VM may stay idle before it is destroyed.</summary>
    public TimeSpan IdleTimeout { get; }
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
    /// An idle VM of <paramref name="key"/> tagged exactly <paramref name="start"/>, else a fresh
    /// one made from <paramref name="spec"/> (asked for only then: unpacking an image is slow).
    /// </summary>
    /// <param name="nested">The request comes from a function blocked on it: refuse rather than wait.</param>
    /// <exception cref="VmStartException">The fresh VM failed to start, or a nested request found no memory.</exception>
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
                    TakeExpired(victims);
                    reused = TakeIdle(key, start, victims);
                    if (reused is null)
                    {
                        var reserved = TryReserve(key.MemoryMb, start, victims);
                        if (reserved)
                        {
                            break;
                        }

                        if (nested)
                        {
                            throw new VmStartException(InvocationStatus.OutOfMemory, "the worker's memory budget has no room for this nested call; its callers hold the rest");
                        }
                    }

                    changed = _changed.Task;
                    liveMb = _liveMb;
                }

                if (reused is not null)
                {
                    _logger.VmReused(reused.Vm.Id, reused.Label, start);
                    await DisposeAllAsync(victims).ConfigureAwait(false); // expired or dead ones found on the way
                    return reused;
                }

                await DisposeAllAsync(victims).ConfigureAwait(false);
                _logger.WaitingForMemory(key.MemoryMb, liveMb, BudgetMb);
                await changed.WaitAsync(ct).ConfigureAwait(false);
            }
        }
        catch
        {
            await DisposeAllAsync(victims).ConfigureAwait(false);
            throw;
        }

        // Evicted and dead VMs are destroyed while the new one starts: their memory is already
        // off the books, and a destroy (kill, reap, cgroup removal) costs milliseconds a cold
        // request need not wait for. The new VM holds next to nothing until it runs.
        var destroying = DisposeAllAsync(victims);
        try
        {
            return await StartReservedAsync(key, spec, ct).ConfigureAwait(false);
        }
        finally
        {
            await destroying.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Puts a VM that finished cleanly back, tagged with <paramref name="tag"/>: the highest label
    /// its invocation held (declassification lowers a computation's label, never what the VM's
    /// memory holds). From now on it serves only requests that start at exactly that label.
    /// </summary>
    public async ValueTask ReturnAsync(VmLease lease, Label tag)
    {
        bool kept;
        lock (_lock)
        {
            kept = !_disposed && lease.Vm.IsIdle;
            if (kept)
            {
                _idle.AddLast(new IdleVm(lease.Vm, lease.Key, tag, _time.GetUtcNow()));
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
    public async ValueTask DisposeAsync()
    {
        await _sweeper.DisposeAsync().ConfigureAwait(false);

        await EvictIdleAsync(dispose: true).ConfigureAwait(false);
    }

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

    /// <summary>Destroys the VMs idle for longer than <see cref="IdleTimeout"/>; runs on a timer, by time alone.</summary>
    internal async ValueTask ExpireIdleAsync()
    {
        var victims = new List<IVm>();
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            TakeExpired(victims);
            if (victims.Count > 0)
            {
                Signal();
            }
        }

        await DisposeAllAsync(victims).ConfigureAwait(false);
    }

    private void TakeExpired(List<IVm> victims)
    {
        var now = _time.GetUtcNow();
        for (var node = _idle.First; node is not null;)
        {
            var next = node.Next;
            if (now - node.Value.IdleSince >= IdleTimeout)
            {
                RemoveIdle(node);
                Drop(node.Value.Key.MemoryMb);
                victims.Add(node.Value.Vm);
                _logger.VmExpired(node.Value.Vm.Id, node.Value.Key.MemoryMb);
            }

            node = next;
        }
    }

    private VmLease? TakeIdle(FunctionKey key, Label start, List<IVm> victims)
    {
        // Most recently used first: with several VMs at the same label, the warmest serves.
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
                else if (idle.Label.Equals(start))
                {
                    RemoveIdle(node);
                    return new VmLease(idle.Vm, key, idle.Label, Fresh: false);
                }
            }

            node = previous;
        }

        return null;
    }

    // Reserves memory for a new VM, evicting idle VMs that a request at 'start' may evict: only
    // those whose tag its label flows to. Reserves nothing unless it then fits.
    private bool TryReserve(int memoryMb, Label start, List<IVm> victims)
    {
        var evictableMb = 0;
        foreach (var idle in _idle)
        {
            if (start.CanFlowTo(idle.Label))
            {
                evictableMb += idle.Key.MemoryMb;
            }
        }

        if (_liveMb - evictableMb + memoryMb > BudgetMb)
        {
            return false;
        }

        for (var node = _idle.First; node is not null && _liveMb + memoryMb > BudgetMb;)
        {
            var next = node.Next;
            var idle = node.Value;
            if (start.CanFlowTo(idle.Label))
            {
                RemoveIdle(node);
                Drop(idle.Key.MemoryMb);
                victims.Add(idle.Vm);
                _logger.VmEvicted(idle.Vm.Id, idle.Label, idle.Key.MemoryMb);
            }

            node = next;
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

    private sealed record IdleVm(IVm Vm, FunctionKey Key, Label Label, DateTimeOffset IdleSince);
}

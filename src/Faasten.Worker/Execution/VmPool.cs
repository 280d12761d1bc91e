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
/// <para><b>Spares.</b> Strict reuse makes cold starts common at labels that change from call to
/// call. A request at L that needed a VM that has run nothing (a fresh one, or a spare) has the
/// pool start up to <see cref="SparesPerLabel"/> spare VMs of its gate in the background once its
/// run is over, tagged L, so the next request at exactly L finds one already started (or waits for
/// one already starting instead of starting its own). A spare has run nothing, so its lease label
/// is ⊥ like a fresh VM's; it is tagged L only so that no request at another label can take it, and
/// whether a request finds one depends on requests at exactly its label. A spare makes room as a
/// request at L would, evicting only idle VMs whose tag L flows to (never another spare, nor a warm
/// VM of its own gate and label), and none is started while a request waits for memory; any request
/// short of memory evicts spares first, whatever their tag, so a spare is never why a request
/// waits. What that leaves is the memory-wait channel above: a spare is missing only when the
/// budget was full, as a request waits only when it is. Warm VMs are preferred over spares.</para>
/// </remarks>
internal sealed class VmPool : IAsyncDisposable
{
    private readonly IVmBackend _backend;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly LinkedList<IdleVm> _idle = new(); // least recently used first
    private readonly ITimer _sweeper;
    private readonly List<StartingSpare> _starting = [];
    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource _changed = NewSignal();
    private int _liveMb;
    private int _idleMb;
    private int _liveVms;
    private int _waiting; // requests waiting for memory: no spare may take what they wait for
    private bool _disposed;

    public VmPool(IVmBackend backend, int budgetMb, ILogger logger, TimeProvider? time = null, TimeSpan? idleTimeout = null, int sparesPerLabel = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(budgetMb, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(sparesPerLabel);
        SparesPerLabel = sparesPerLabel;
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

    /// <summary>Spare VMs kept started per gate and start label that needed a new VM (0: none).</summary>
    public int SparesPerLabel { get; }

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

    /// <summary>Spares started and idle, not counting those still starting.</summary>
    public int IdleSpares
    {
        get
        {
            lock (_lock)
            {
                return _idle.Count(idle => idle.Spare);
            }
        }
    }

    /// <summary>Spares still starting (for tests: wait until the pool is quiet).</summary>
    internal int StartingSpares
    {
        get
        {
            lock (_lock)
            {
                return _starting.Count;
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
        var lease = await TakeOrStartAsync(key, start, nested, spec, ct).ConfigureAwait(false);

        // It needed a VM that has run nothing: the next request at this label likely will too.
        // The spare starts once this invocation is over, not beside it: on a small machine a
        // start (a fork, a cgroup, an eviction) competes with the run for the same cores.
        return lease.Fresh && SparesPerLabel > 0 ? lease with { AfterRun = () => Replenish(key, start, spec) } : lease;
    }

    private async ValueTask<VmLease> TakeOrStartAsync(FunctionKey key, Label start, bool nested, Func<CancellationToken, ValueTask<VmSpec>> spec, CancellationToken ct)
    {
        var victims = new List<IVm>();
        try
        {
            while (true)
            {
                VmLease? reused;
                StartingSpare? claimed = null;
                Task changed;
                int liveMb;
                lock (_lock)
                {
                    ObjectDisposedException.ThrowIf(_disposed, this);
                    TakeExpired(victims);
                    reused = TakeIdle(key, start, victims);
                    if (reused is null && ClaimStarting(key, start) is { } spare)
                    {
                        claimed = spare;
                    }
                    else if (reused is null)
                    {
                        var reserved = TryReserve(key.MemoryMb, start, victims);
                        if (reserved)
                        {
                            break;
                        }

                        // A nested request waits only for spares still starting (they go idle, and
                        // evictable, on their own); anything else its callers may be holding.
                        if (nested && _starting.Count == 0)
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

                if (claimed is not null)
                {
                    await DisposeAllAsync(victims).ConfigureAwait(false);
                    if (await AwaitClaimedAsync(claimed, ct).ConfigureAwait(false) is { } vm)
                    {
                        return new VmLease(vm, key, Label.Bottom, Fresh: true, Spare: true);
                    }

                    continue; // it failed to start; its memory is back
                }

                await DisposeAllAsync(victims).ConfigureAwait(false);
                _logger.WaitingForMemory(key.MemoryMb, liveMb, BudgetMb);
                Interlocked.Increment(ref _waiting);
                try
                {
                    await changed.WaitAsync(ct).ConfigureAwait(false);
                }
                finally
                {
                    Interlocked.Decrement(ref _waiting);
                }
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

        lease.AfterRun?.Invoke();
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

        lease.AfterRun?.Invoke();
        await lease.Vm.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Destroys every idle VM (the next request of each function starts cold).</summary>
    public ValueTask EvictIdleAsync() => EvictIdleAsync(dispose: false);

    /// <summary>Destroys the idle VMs; busy ones are destroyed as their invocations return them.</summary>
    public async ValueTask DisposeAsync()
    {
        await _sweeper.DisposeAsync().ConfigureAwait(false);

        await EvictIdleAsync(dispose: true).ConfigureAwait(false);

        // Spares still starting: stop them and wait, so none outlives the pool (a spare that is up
        // by then finds the pool disposed and is destroyed).
        await _stopping.CancelAsync().ConfigureAwait(false);
        Task[] starting;
        lock (_lock)
        {
            starting = [.. _starting.Select(spare => spare.Done.Task)];
        }

        await Task.WhenAll(starting).ConfigureAwait(false);
        _stopping.Dispose();
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
        // Most recently used first: with several VMs at the same label, the warmest serves, and a
        // VM that ran (its module-level caches warm) before a spare that has run nothing.
        LinkedListNode<IdleVm>? spare = null;
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
                    if (!idle.Spare)
                    {
                        RemoveIdle(node);
                        return new VmLease(idle.Vm, key, idle.Label, Fresh: false);
                    }

                    spare ??= node;
                }
            }

            node = previous;
        }

        if (spare is null)
        {
            return null;
        }

        RemoveIdle(spare);
        return new VmLease(spare.Value.Vm, key, Label.Bottom, Fresh: true, Spare: true);
    }

    // A spare of this gate and label still starting that no request has claimed yet.
    private StartingSpare? ClaimStarting(FunctionKey key, Label start)
    {
        foreach (var spare in _starting)
        {
            if (!spare.Claimed && spare.Key == key && spare.Label.Equals(start))
            {
                spare.Claimed = true;
                return spare;
            }
        }

        return null;
    }

    // The claimed spare once started, or null when it failed. A claimant that gives up (cancelled)
    // hands the spare back: it goes idle when it is up, as an unclaimed spare would.
    private async ValueTask<IVm?> AwaitClaimedAsync(StartingSpare spare, CancellationToken ct)
    {
        try
        {
            return await spare.Started.Task.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _ = ParkAbandonedAsync(spare);
            throw;
        }
    }

    private async Task ParkAbandonedAsync(StartingSpare spare)
    {
        if (await spare.Started.Task.ConfigureAwait(false) is { } vm)
        {
            await ParkAsync(spare, vm).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Starts spares of <paramref name="key"/> tagged <paramref name="start"/> in the background
    /// until the label has <see cref="SparesPerLabel"/> (idle or starting, unclaimed), making
    /// room as a request at that label would (but never by evicting another spare). No other
    /// bound: a cap on spares starting at once would let a burst at one label decide whether
    /// another label gets its spare.
    /// </summary>
    private void Replenish(FunctionKey key, Label start, Func<CancellationToken, ValueTask<VmSpec>> spec)
    {
        List<StartingSpare>? starting = null;
        var victims = new List<IVm>();
        lock (_lock)
        {
            if (_disposed || Volatile.Read(ref _waiting) > 0)
            {
                return;
            }

            var have = 0;
            foreach (var idle in _idle)
            {
                have += idle.Spare && idle.Key == key && idle.Label.Equals(start) ? 1 : 0;
            }

            foreach (var spare in _starting)
            {
                have += !spare.Claimed && spare.Key == key && spare.Label.Equals(start) ? 1 : 0;
            }

            for (; have < SparesPerLabel && TryReserve(key.MemoryMb, start, victims, spareOf: key); have++)
            {
                var spare = new StartingSpare(key, start);
                _starting.Add(spare);
                (starting ??= []).Add(spare);
            }
        }

        if (victims.Count > 0)
        {
            _ = Task.Run(() => DisposeAllAsync(victims).AsTask());
        }

        foreach (var spare in starting ?? [])
        {
            // Off the request's path: a start does its first steps synchronously.
            _ = Task.Run(() => StartSpareAsync(spare, spec));
        }
    }

    private async Task StartSpareAsync(StartingSpare spare, Func<CancellationToken, ValueTask<VmSpec>> spec)
    {
        try
        {
            var started = _time.GetTimestamp();
            IVm? vm = null;
            try
            {
                vm = await _backend.StartAsync(await spec(_stopping.Token).ConfigureAwait(false), _stopping.Token).ConfigureAwait(false);
                _logger.VmStarted(vm.Id, spare.Key.ImageHash, spare.Key.MemoryMb, _time.GetElapsedTime(started).TotalMilliseconds);
            }
#pragma warning disable CA1031 // a spare is an optimisation: whatever stops it, its request-less start just does not happen
            catch (Exception e)
#pragma warning restore CA1031
            {
                _logger.SpareStartFailed(spare.Key.ImageHash, e.Message);
            }

            IVm? destroy = null;
            lock (_lock)
            {
                _starting.Remove(spare);
                if (vm is null)
                {
                    _liveMb -= spare.Key.MemoryMb;
                }
                else
                {
                    // Parked in the same step it leaves the starting list: a request never
                    // misses it in between.
                    _liveVms++;
                    if (!spare.Claimed && !TryPark(spare, vm))
                    {
                        destroy = vm;
                    }
                }

                Signal();
            }

            spare.Started.TrySetResult(spare.Claimed ? vm : null);
            if (destroy is not null)
            {
                await destroy.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            spare.Done.TrySetResult();
        }
    }

    // A started spare nobody waits for goes idle, tagged with its label, counted as idle since now.
    private async ValueTask ParkAsync(StartingSpare spare, IVm vm)
    {
        bool kept;
        lock (_lock)
        {
            kept = TryPark(spare, vm);
            Signal();
        }

        if (!kept)
        {
            await vm.DisposeAsync().ConfigureAwait(false);
        }
    }

    // Under the lock: the live spare goes idle, or (pool disposed, VM dead) off the books for the
    // caller to destroy.
    private bool TryPark(StartingSpare spare, IVm vm)
    {
        if (_disposed || !vm.IsIdle)
        {
            Drop(spare.Key.MemoryMb);
            return false;
        }

        _idle.AddLast(new IdleVm(vm, spare.Key, spare.Label, _time.GetUtcNow(), Spare: true));
        _idleMb += spare.Key.MemoryMb;
        return true;
    }

    // Reserves memory for a new VM, evicting idle VMs that a request at 'start' may evict: every
    // spare first (they have run nothing, and are never why a request waits), then, least
    // recently used first, those whose tag its label flows to. A spare's own start evicts no
    // other spare (spares of two labels would evict each other in turn) and no VM that serves
    // the requests it is for (same gate, same label: that one is warm). Reserves nothing unless
    // it then fits.
    private bool TryReserve(int memoryMb, Label start, List<IVm> victims, FunctionKey? spareOf = null)
    {
        var evictableMb = 0;
        foreach (var idle in _idle)
        {
            if (MayEvict(start, idle, spareOf))
            {
                evictableMb += idle.Key.MemoryMb;
            }
        }

        if (_liveMb - evictableMb + memoryMb > BudgetMb)
        {
            return false;
        }

        foreach (var sparesOnly in (ReadOnlySpan<bool>)[true, false])
        {
            for (var node = _idle.First; node is not null && _liveMb + memoryMb > BudgetMb;)
            {
                var next = node.Next;
                var idle = node.Value;
                if (idle.Spare == sparesOnly && MayEvict(start, idle, spareOf))
                {
                    RemoveIdle(node);
                    Drop(idle.Key.MemoryMb);
                    victims.Add(idle.Vm);
                    _logger.VmEvicted(idle.Vm.Id, idle.Label, idle.Key.MemoryMb);
                }

                node = next;
            }
        }

        _liveMb += memoryMb;
        return true;
    }

    private static bool MayEvict(Label start, IdleVm idle, FunctionKey? spareOf) => spareOf is not { } key
        ? idle.Spare || start.CanFlowTo(idle.Label)
        : !idle.Spare && start.CanFlowTo(idle.Label) && !(idle.Key == key && idle.Label.Equals(start));

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

    private sealed record IdleVm(IVm Vm, FunctionKey Key, Label Label, DateTimeOffset IdleSince, bool Spare = false);

    /// <summary>A spare on its way up; a request at its label may claim it and wait for it.</summary>
    private sealed class StartingSpare(FunctionKey key, Label label)
    {
        public FunctionKey Key { get; } = key;

        public Label Label { get; } = label;

        /// <summary>Set under the pool's lock: a request waits for this spare.</summary>
        public bool Claimed { get; set; }

        /// <summary>The VM handed to its claimant, or null when it failed to start.</summary>
        public TaskCompletionSource<IVm?> Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Set when its start has ended, whichever way.</summary>
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

using System.Security.Cryptography;
using Faasten.Protocol.Invocations;
using Faasten.Sandbox.Vm;

namespace Faasten.Sandbox.Bubblewrap;

/// <summary>
/// The backend's templates, one per <see cref="TemplateKey"/>: built on first need (callers
/// that arrive while it starts wait for the same build), replaced when one dies or fails a fork,
/// destroyed after <see cref="BubblewrapOptions.TemplateIdleTimeout"/> without a fork and
/// without children (so the template of an image no gate uses any more goes away), and never
/// destroyed while a VM forked from it lives: its children live in its sandbox.
/// </summary>
internal sealed class VmTemplates : IAsyncDisposable
{
    /// <summary>After a template fails to start, VMs of its key start fresh for this long.</summary>
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(30);

    /// <summary>
    /// What one child may leave charged to its template's cgroup until it exits (measured: about
    /// 1.5 MiB for the no-op runtime), reserved in the template's limit per allowed child.
    /// </summary>
    internal const long ChildChargeBytes = 4L * 1024 * 1024;

    private readonly BubblewrapOptions _options;
    private readonly CgroupHierarchy _cgroups;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Dictionary<TemplateKey, Task<VmTemplate>> _building = [];
    private readonly Dictionary<TemplateKey, VmTemplate> _ready = [];
    private readonly Dictionary<TemplateKey, long> _failedAt = [];
    private readonly HashSet<VmTemplate> _retired = [];
    private bool _disposed;

    public VmTemplates(BubblewrapOptions options, CgroupHierarchy cgroups, TimeProvider time)
    {
        _options = options;
        _cgroups = cgroups;
        _time = time;
    }

    /// <summary>Templates alive (ready or retired with children left).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _ready.Count + _retired.Count;
            }
        }
    }

    /// <summary>The ready template of <paramref name="key"/>, if any (tests and diagnostics).</summary>
    public VmTemplate? Find(TemplateKey key)
    {
        lock (_lock)
        {
            return _ready.GetValueOrDefault(key);
        }
    }

    /// <summary>The usable template for <paramref name="spec"/>, building it if needed; null when
    /// templates of this key recently failed to start (the caller starts a fresh VM).</summary>
    public async ValueTask<VmTemplate?> GetAsync(VmSpec spec, CancellationToken cancellationToken)
    {
        var key = TemplateKey.Of(spec);
        Task<VmTemplate> build;
        List<VmTemplate> victims = [];
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            TakeIdle(victims);
            if (_ready.TryGetValue(key, out var ready))
            {
                if (ready.IsUsable && ready.Children < _options.MaxChildrenPerTemplate)
                {
                    return ready;
                }
                _ready.Remove(key);
                Retire(ready, victims);
            }
            if (_failedAt.TryGetValue(key, out var failed) && _time.GetElapsedTime(failed) < RetryAfter)
            {
                return null;
            }
            if (!_building.TryGetValue(key, out build!))
            {
                if (!MakeRoom(victims))
                {
                    return null; // every template has VMs: this one starts fresh, within the budget
                }

                build = BuildAsync(spec, key);
                _building[key] = build;
            }
        }
        await DestroyAllAsync(victims).ConfigureAwait(false);
        try
        {
            return await build.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (VmStartException)
        {
            return null;
        }
    }

    /// <summary>Starts building the template for <paramref name="spec"/> now, if there is none.</summary>
    public async ValueTask PrepareAsync(VmSpec spec, CancellationToken cancellationToken) =>
        _ = await GetAsync(spec, cancellationToken).ConfigureAwait(false);

    /// <summary>A VM forked from <paramref name="template"/> was destroyed.</summary>
    public async ValueTask ReleaseAsync(VmTemplate template)
    {
        template.Release();
        bool destroy;
        lock (_lock)
        {
            destroy = template.Children == 0 && _retired.Remove(template);
        }
        if (destroy)
        {
            await template.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Destroys every template (their children die with them: the backend destroys those first).</summary>
    public async ValueTask DisposeAsync()
    {
        List<VmTemplate> all;
        List<Task<VmTemplate>> building;
        lock (_lock)
        {
            _disposed = true;
            all = [.. _ready.Values, .. _retired];
            building = [.. _building.Values];
            _ready.Clear();
            _retired.Clear();
        }
        foreach (var pending in building)
        {
            try
            {
                all.Add(await pending.ConfigureAwait(false));
            }
            catch (VmStartException)
            {
            }
        }
        await DestroyAllAsync(all).ConfigureAwait(false);
    }

    private async Task<VmTemplate> BuildAsync(VmSpec spec, TemplateKey key)
    {
        await Task.Yield(); // the caller's lock is not held while the template starts
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Bubblewrap sandboxes need Linux.");
        }
        var id = "t" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(15));
        var directory = Path.Combine(_options.RunDirectory, id);
        VmTemplate? template = null;
        VmCgroup? cgroup = null;
        try
        {
            Directory.CreateDirectory(directory);
            File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
            cgroup = _cgroups.CreateVm(id, (spec.MemoryMb * 1024L * 1024) + (_options.MaxChildrenPerTemplate * ChildChargeBytes), _options.MaxProcesses);
            template = await VmTemplate.StartAsync(_options, spec, directory, cgroup, _time, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is VmStartException or IOException or UnauthorizedAccessException)
        {
            cgroup?.TryDelete();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
            lock (_lock)
            {
                _building.Remove(key);
                _failedAt[key] = _time.GetTimestamp();
            }
            throw ex as VmStartException ?? new VmStartException(InvocationStatus.Crashed, $"The VM template could not be set up: {ex.Message}", ex);
        }

        bool keep;
        lock (_lock)
        {
            _building.Remove(key);
            _failedAt.Remove(key);
            keep = !_disposed;
            if (keep)
            {
                _ready[key] = template;
            }
        }
        if (!keep)
        {
            await template.DisposeAsync().ConfigureAwait(false);
            throw new ObjectDisposedException(nameof(VmTemplates));
        }
        return template;
    }

    private void TakeIdle(List<VmTemplate> victims)
    {
        foreach (var (key, template) in _ready.ToArray())
        {
            if (template.Children == 0 && _time.GetElapsedTime(template.LastUsed) >= _options.TemplateIdleTimeout)
            {
                _ready.Remove(key);
                Retire(template, victims);
            }
        }
    }

    /// <summary>
    /// Whether one more template may start under <see cref="BubblewrapOptions.MaxTemplates"/>,
    /// retiring the least recently used template without VMs if that makes the room.
    /// </summary>
    private bool MakeRoom(List<VmTemplate> victims)
    {
        if (_ready.Count + _building.Count + _retired.Count < _options.MaxTemplates)
        {
            return true;
        }

        var idle = _ready.Where(t => t.Value.Children == 0).OrderBy(t => t.Value.LastUsed).Select(t => (KeyValuePair<TemplateKey, VmTemplate>?)t).FirstOrDefault();
        if (idle is not { } oldest)
        {
            return false;
        }

        _ready.Remove(oldest.Key);
        Retire(oldest.Value, victims);
        return _ready.Count + _building.Count + _retired.Count < _options.MaxTemplates;
    }

    // A retired template forks no more; it goes now if no child lives, else with its last child.
    private void Retire(VmTemplate template, List<VmTemplate> victims)
    {
        template.Retire();
        if (template.Children == 0)
        {
            victims.Add(template);
        }
        else
        {
            _retired.Add(template);
        }
    }

    private static async ValueTask DestroyAllAsync(List<VmTemplate> templates)
    {
        foreach (var template in templates)
        {
            await template.DisposeAsync().ConfigureAwait(false);
        }
    }
}

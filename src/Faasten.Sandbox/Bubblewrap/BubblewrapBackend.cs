using System.Collections.Concurrent;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using Faasten.Sandbox.Channel;
using Faasten.Sandbox.Images;
using Faasten.Sandbox.Vm;

namespace Faasten.Sandbox.Bubblewrap;

/// <summary>
/// VMs as bubblewrap sandboxes: new user, PID, network, IPC, UTS, mount and cgroup namespaces;
/// no network; read-only /usr and the function image at /srv; a private size-limited /tmp;
/// per-VM memory and process limits (cgroup v1, or rlimits where cgroups are unavailable);
/// the runtime reaches the host only through its channel socket.
/// </summary>
public sealed class BubblewrapBackend : IVmBackend, IAsyncDisposable
{
    private const long MiB = 1024 * 1024;

    /// <summary>Default run directories are <c>{temp}/faasten-vms-{host pid}</c>.</summary>
    internal const string RunDirectoryPrefix = "faasten-vms-";
    private static int s_instances;

    private readonly BubblewrapOptions _options;
    private readonly TimeProvider _time;
    private readonly CgroupHierarchy? _cgroups;
    private readonly VmTemplates? _templates;
    private readonly string _stagedRuntime;
    private readonly ConcurrentDictionary<string, BubblewrapVm> _live = new();
    private volatile bool _disposed;

    /// <exception cref="ArgumentException">The options are not usable; the message lists every problem.</exception>
    public BubblewrapBackend(BubblewrapOptions? options = null, TimeProvider? timeProvider = null)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Bubblewrap sandboxes need Linux.");
        }
        _options = options ?? new BubblewrapOptions();
        var errors = _options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid sandbox options: " + string.Join(" ", errors), nameof(options));
        }
        _time = timeProvider ?? TimeProvider.System;
        var instance = Interlocked.Increment(ref s_instances);
        // Traversable by the sandbox user (bwrap resolves bind sources as that user), not listable.
        StaleSweeper.Sweep(Path.GetTempPath(), RunDirectoryPrefix, recursive: true);
        Directory.CreateDirectory(_options.RunDirectory);
        File.SetUnixFileMode(_options.RunDirectory, (UnixFileMode)0b111_001_001); // whatever the umask
        _stagedRuntime = Path.Combine(_options.RunDirectory, $"runtime-{instance}");
        StageRuntime(_options.RuntimeDirectory, _stagedRuntime);
        _options = _options with { RuntimeDirectory = _stagedRuntime };
        if (_options.UseCgroups)
        {
            var name = $"{CgroupHierarchy.NamePrefix}{Environment.ProcessId}-{instance}";
            _cgroups = CgroupHierarchy.TryCreate(name);
        }
        if (_cgroups is not null && _options.UseTemplates)
        {
            _templates = new VmTemplates(_options, _cgroups, _time);
        }
    }

    /// <summary>Whether limits are enforced by cgroups (true) or by the rlimit fallback.</summary>
    public bool UsesCgroups => _cgroups is not null;

    /// <summary>VMs started and not yet destroyed.</summary>
    public int LiveVms => _live.Count;

    /// <summary>Whether VMs are forked from templates (needs cgroups and <see cref="BubblewrapOptions.UseTemplates"/>).</summary>
    public bool UsesTemplates => _templates is not null;

    /// <summary>Live templates.</summary>
    public int Templates => _templates?.Count ?? 0;

    /// <summary>The ready template VMs of <paramref name="spec"/> are forked from, if any.</summary>
    internal VmTemplate? TemplateOf(VmSpec spec) => _templates?.Find(TemplateKey.Of(spec));

    /// <summary>
    /// Builds the template for <paramref name="spec"/> ahead of the first StartAsync (when a gate
    /// is created or updated), so that start is already a fork. Does nothing without templates.
    /// </summary>
    public async ValueTask PrepareAsync(VmSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_templates is not null && OperatingSystem.IsLinux())
        {
            Validate(spec);
            await _templates.PrepareAsync(spec, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask<IVm> StartAsync(VmSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Bubblewrap sandboxes need Linux.");
        }
        Validate(spec);
        if (_templates is not null && await _templates.GetAsync(spec, cancellationToken).ConfigureAwait(false) is { } template)
        {
            try
            {
                return await StartForkedAsync(template, spec, cancellationToken).ConfigureAwait(false);
            }
            catch (VmStartException) when (!template.IsUsable && !cancellationToken.IsCancellationRequested)
            {
                // The template broke (not the function): this VM starts fresh, the next build replaces it.
            }
        }
        return await StartFreshAsync(spec, cancellationToken).ConfigureAwait(false);
    }

    private static void Validate(VmSpec spec)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Bubblewrap sandboxes need Linux.");
        }
        if (spec.Runtime != "python3")
        {
            throw new ArgumentException($"Unknown runtime '{spec.Runtime}'; only python3 exists.", nameof(spec));
        }
        if (spec.MemoryMb < 16)
        {
            throw new ArgumentException($"Memory limit {spec.MemoryMb} MiB is below the 16 MiB minimum.", nameof(spec));
        }
        if (!Directory.Exists(spec.ImageDirectory))
        {
            throw new ArgumentException($"Image directory '{spec.ImageDirectory}' does not exist.", nameof(spec));
        }
    }

    [SupportedOSPlatform("linux")]
    private async ValueTask<IVm> StartForkedAsync(VmTemplate template, VmSpec spec, CancellationToken cancellationToken)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var cgroup = _cgroups!.CreateVm(id, spec.MemoryMb * MiB, _options.MaxProcesses);
        ForkedChild child;
        try
        {
            child = await template.ForkAsync(cgroup, _options.ForkTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await cgroup.KillAllAsync().ConfigureAwait(false);
            for (var attempt = 0; attempt < 50 && !cgroup.TryDelete(); attempt++)
            {
                await Task.Delay(10, CancellationToken.None).ConfigureAwait(false);
            }
            await _templates!.ReleaseAsync(template).ConfigureAwait(false);
            throw;
        }

        var vm = new BubblewrapVm(id, spec, child, cgroup, _time, v =>
        {
            _live.TryRemove(v.Id, out _);
            _ = _templates!.ReleaseAsync(template).AsTask();
        });
        _live[id] = vm;
        try
        {
            await vm.WaitReadyAsync(_options.StartTimeout, cancellationToken).ConfigureAwait(false);
            return vm;
        }
        catch
        {
            await vm.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    [SupportedOSPlatform("linux")]
    private async ValueTask<IVm> StartFreshAsync(VmSpec spec, CancellationToken cancellationToken)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var directory = Path.Combine(_options.RunDirectory, id);
        Directory.CreateDirectory(directory);
        File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
        ChannelListener? listener = null;
        VmCgroup? cgroup = null;
        BubblewrapVm? vm = null;
        try
        {
            listener = new ChannelListener(directory);
            cgroup = _cgroups?.CreateVm(id, spec.MemoryMb * MiB, _options.MaxProcesses);
            var process = await ProcessLauncher.StartAsync(SandboxCommand.Create(_options, spec, directory, cgroup)).ConfigureAwait(false);
            vm = new BubblewrapVm(id, spec, process, listener, cgroup, _time, v => _live.TryRemove(v.Id, out _));
            _live[id] = vm;
            await vm.WaitReadyAsync(_options.StartTimeout, cancellationToken).ConfigureAwait(false);
            return vm;
        }
        catch
        {
            if (vm is not null)
            {
                await vm.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                listener?.Dispose();
                cgroup?.TryDelete();
                Directory.Delete(directory, recursive: true);
            }
            throw;
        }
    }

    /// <summary>Destroys every live VM and removes the backend's cgroups.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        foreach (var vm in _live.Values)
        {
            await vm.DisposeAsync().ConfigureAwait(false);
        }
        if (_templates is not null)
        {
            await _templates.DisposeAsync().ConfigureAwait(false);
        }
        _cgroups?.Dispose();
        Directory.Delete(_stagedRuntime, recursive: true);
        try
        {
            Directory.Delete(_options.RunDirectory);
        }
        catch (IOException)
        {
            // Another backend in this process still uses it.
        }
    }

    /// <summary>
    /// Copies the runtime into the run directory: the sandbox user must be able to reach what
    /// bwrap binds, and the installed copy may sit under a private directory (a 0700 home).
    /// </summary>
    private static void StageRuntime(string source, string destination)
    {
        foreach (var directory in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories).Prepend(source))
        {
            Directory.CreateDirectory(Path.Combine(destination, Path.GetRelativePath(source, directory)));
        }
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(destination, Path.GetRelativePath(source, file)));
        }
        ImagePermissions.Normalize(destination); // readable by all, whatever the umask made of it
    }
}

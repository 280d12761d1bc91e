namespace Faasten.Sandbox.Bubblewrap;

/// <summary>How the bubblewrap backend builds sandboxes. Immutable; check with <see cref="Validate"/>.</summary>
public sealed record BubblewrapOptions
{
    /// <summary>sun_path holds 108 bytes including the terminating NUL.</summary>
    internal const int MaxSocketPathBytes = 107;

    public string BwrapPath { get; init; } = "/usr/bin/bwrap";

    /// <summary>The interpreter inside the sandbox (bound read-only with the rest of /usr).</summary>
    public string PythonPath { get; init; } = "/usr/bin/python3";

    /// <summary>Directory holding the <c>faasten_runtime</c> package; mounted read-only at /runtime.</summary>
    public string RuntimeDirectory { get; init; } = Path.Combine(AppContext.BaseDirectory, "runtime");

    /// <summary>Where per-VM channel directories live. Created (mode 0711) if missing.</summary>
    public string RunDirectory { get; init; } = Path.Combine(Path.GetTempPath(), $"{BubblewrapBackend.RunDirectoryPrefix}{Environment.ProcessId}");

    /// <summary>Size of each VM's private /tmp (counted against its memory limit too).</summary>
    public long TmpSizeBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Processes and threads a VM may have at once (pids cgroup; RLIMIT_NPROC fallback).</summary>
    public int MaxProcesses { get; init; } = 64;

    /// <summary>Limit from launch to the guest's Hello (runtime loaded, workload imported).</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Host user the sandbox runs as when the host runs as root: sandboxed code is then not
    /// root even outside its user namespace. Null keeps the host's user. Without cgroups each
    /// VM instead gets a user of its own (2,000,000,000 and up), so that RLIMIT_NPROC, which
    /// counts per user, bounds each VM separately.
    /// </summary>
    public int? SandboxUserId { get; init; } = Environment.IsPrivilegedProcess ? 65534 : null;

    /// <summary>Use per-VM memory and pids cgroups (v1) when the host allows it; else rlimits.</summary>
    public bool UseCgroups { get; init; } = true;

    /// <summary>
    /// Make VMs by forking a template per (image, runtime, memory) instead of launching a fresh
    /// sandbox each time. Needs cgroups; without them, or when a template cannot start, VMs start fresh.
    /// </summary>
    public bool UseTemplates { get; init; } = true;

    /// <summary>
    /// VMs forked from one template alive at once. Each child allocates a little before the host
    /// moves it into its own cgroup (its namespaces, sockets and the pages its start copies), and
    /// cgroup v1 leaves those charges with the template's cgroup while the child lives, so the
    /// template's limit reserves room for this many; past it the template retires (its children
    /// live on) and a new one of the same key takes the next forks.
    /// </summary>
    public int MaxChildrenPerTemplate { get; init; } = 64;

    /// <summary>Limit from a fork request to the child's connection (the runtime is already loaded).</summary>
    public TimeSpan ForkTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A template without children and without a fork for this long is destroyed.</summary>
    public TimeSpan TemplateIdleTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Templates alive at once. Templates are processes outside the worker's VM memory budget,
    /// so a user registering many images must not be able to start one each: past the bound the
    /// least recently used template without VMs goes, and when every template has VMs a new
    /// image's VMs start fresh (within the budget) until one frees.
    /// </summary>
    public int MaxTemplates { get; init; } = 16;

    /// <summary>Every problem with these options; empty when usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        RequireFile(errors, BwrapPath, nameof(BwrapPath));
        RequireFile(errors, PythonPath, nameof(PythonPath));
        if (!File.Exists(Path.Combine(RuntimeDirectory, "faasten_runtime", "main.py")))
        {
            errors.Add($"{nameof(RuntimeDirectory)} '{RuntimeDirectory}' holds no faasten_runtime/main.py.");
        }
        else if (!File.Exists(Path.Combine(RuntimeDirectory, "faasten_runtime", "gen", "faasten", "v1", "cloudcall_pb2.py")))
        {
            errors.Add($"{nameof(RuntimeDirectory)} '{RuntimeDirectory}' lacks the generated protocol module (run scripts/setup.sh).");
        }
        if (TmpSizeBytes <= 0)
        {
            errors.Add($"{nameof(TmpSizeBytes)} must be positive.");
        }
        if (MaxProcesses < 2)
        {
            errors.Add($"{nameof(MaxProcesses)} must be at least 2 (the sandbox's init and the runtime).");
        }
        if (StartTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(StartTimeout)} must be positive.");
        }
        if (MaxChildrenPerTemplate < 1)
        {
            errors.Add($"{nameof(MaxChildrenPerTemplate)} must be at least 1.");
        }
        if (ForkTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(ForkTimeout)} must be positive.");
        }
        if (MaxTemplates < 1)
        {
            errors.Add($"{nameof(MaxTemplates)} must be at least 1.");
        }
        if (TemplateIdleTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(TemplateIdleTimeout)} must be positive.");
        }
        if (SandboxUserId is < 0)
        {
            errors.Add($"{nameof(SandboxUserId)} must not be negative.");
        }
        // Checked here rather than failing every VM start: a Unix socket path is at most 107 bytes.
        var socketPathBytes = System.Text.Encoding.UTF8.GetByteCount(Path.Combine(RunDirectory, new string('0', 32), Channel.ChannelListener.SocketName));
        if (socketPathBytes > MaxSocketPathBytes)
        {
            errors.Add($"{nameof(RunDirectory)} '{RunDirectory}' is too long: a VM's channel socket under it would have a {socketPathBytes}-byte path, " +
                $"over the {MaxSocketPathBytes} bytes Unix sockets allow; set TMPDIR (or {nameof(RunDirectory)}) to a shorter directory.");
        }
        return errors;
    }

    private static void RequireFile(List<string> errors, string path, string name)
    {
        if (!File.Exists(path))
        {
            errors.Add($"{name} '{path}' does not exist.");
        }
    }
}

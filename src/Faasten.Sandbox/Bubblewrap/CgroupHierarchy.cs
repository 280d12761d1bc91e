using System.Globalization;

namespace Faasten.Sandbox.Bubblewrap;

/// <summary>
/// This backend's cgroup v1 directories for the memory and pids controllers: one child of the
/// host process's own cgroup per controller (so VM limits nest inside whatever limits the host
/// already has), and one grandchild per VM.
/// </summary>
internal sealed class CgroupHierarchy : IDisposable
{
    /// <summary>Directories are named <c>faasten-{host pid}-{instance}</c>.</summary>
    public const string NamePrefix = "faasten-";

    private readonly string _memory;
    private readonly string _pids;

    private CgroupHierarchy(string memory, string pids)
    {
        _memory = memory;
        _pids = pids;
    }

    /// <summary>Creates the parent directories, or returns null when cgroups v1 with both
    /// controllers are not mounted or not writable.</summary>
    public static CgroupHierarchy? TryCreate(string name)
    {
        try
        {
            var memory = ControllerPath("memory");
            var pids = ControllerPath("pids");
            if (memory is null || pids is null)
            {
                return null;
            }
            StaleSweeper.Sweep(memory, NamePrefix, recursive: false);
            StaleSweeper.Sweep(pids, NamePrefix, recursive: false);
            memory = Path.Combine(memory, name);
            pids = Path.Combine(pids, name);
            Directory.CreateDirectory(memory);
            Directory.CreateDirectory(pids);
            return new CgroupHierarchy(memory, pids);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public VmCgroup CreateVm(string vmId, long memoryBytes, int maxProcesses)
    {
        var memory = Path.Combine(_memory, vmId);
        var pids = Path.Combine(_pids, vmId);
        Directory.CreateDirectory(memory);
        Directory.CreateDirectory(pids);
        var cgroup = new VmCgroup(memory, pids);
        try
        {
            var limit = memoryBytes.ToString(CultureInfo.InvariantCulture);
            File.WriteAllText(Path.Combine(memory, "memory.limit_in_bytes"), limit);
            // With swap accounting, memory+swap must be capped too or the VM just swaps.
            var memsw = Path.Combine(memory, "memory.memsw.limit_in_bytes");
            if (File.Exists(memsw))
            {
                File.WriteAllText(memsw, limit);
            }
            File.WriteAllText(Path.Combine(pids, "pids.max"), maxProcesses.ToString(CultureInfo.InvariantCulture));
            return cgroup;
        }
        catch
        {
            cgroup.TryDelete();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var directory in new[] { _memory, _pids })
        {
            try
            {
                Directory.Delete(directory);
            }
            catch (IOException)
            {
                // A VM still running (or a leftover from a crash) keeps it; harmless and empty otherwise.
            }
        }
    }

    /// <summary>The host process's own cgroup directory for a v1 controller, or null.</summary>
    private static string? ControllerPath(string controller)
    {
        string? mountPoint = null;
        string? mountRoot = null;
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            // id parent major:minor root mount-point options [optional...] - fstype source super-options
            var separator = line.IndexOf(" - ", StringComparison.Ordinal);
            if (separator < 0)
            {
                continue;
            }
            var tail = line[(separator + 3)..].Split(' ');
            if (tail.Length < 3 || tail[0] != "cgroup" || !tail[2].Split(',').Contains(controller))
            {
                continue;
            }
            var head = line[..separator].Split(' ');
            mountRoot = head[3];
            mountPoint = head[4];
            break;
        }
        if (mountPoint is null || mountRoot is null)
        {
            return null;
        }

        foreach (var line in File.ReadLines("/proc/self/cgroup"))
        {
            // hierarchy-id:controller-list:path
            var parts = line.Split(':', 3);
            if (parts.Length == 3 && parts[1].Split(',').Contains(controller))
            {
                var own = parts[2];
                if (mountRoot != "/" && own.StartsWith(mountRoot, StringComparison.Ordinal))
                {
                    own = own[mountRoot.Length..];
                }
                return Path.Join(mountPoint, own.TrimStart('/'));
            }
        }
        return null;
    }
}

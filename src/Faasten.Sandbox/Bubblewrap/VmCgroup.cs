using System.Diagnostics;
using System.Globalization;

namespace Faasten.Sandbox.Bubblewrap;

/// <summary>One VM's memory and pids cgroups: its limits, what it hit, and a way to kill it all.</summary>
internal sealed class VmCgroup
{
    public VmCgroup(string memoryDirectory, string pidsDirectory)
    {
        MemoryDirectory = memoryDirectory;
        PidsDirectory = pidsDirectory;
    }

    public string MemoryDirectory { get; }

    public string PidsDirectory { get; }

    /// <summary>The files a launcher writes its own pid to, before exec, to enter the cgroups.</summary>
    public IReadOnlyList<string> ProcsFiles =>
        [Path.Combine(MemoryDirectory, "cgroup.procs"), Path.Combine(PidsDirectory, "cgroup.procs")];

    /// <summary>Moves a running process (host pid) into both cgroups: a forked VM's runtime.</summary>
    public void Enter(int pid)
    {
        var text = pid.ToString(CultureInfo.InvariantCulture);
        foreach (var file in ProcsFiles)
        {
            File.WriteAllText(file, text);
        }
    }

    /// <summary>Whether the kernel's OOM killer acted inside this VM.</summary>
    public bool OomKilled()
    {
        var count = ReadCounter(Path.Combine(MemoryDirectory, "memory.oom_control"), "oom_kill");
        return count > 0;
    }

    /// <summary>How often a fork or clone failed because the VM was at its process limit.</summary>
    public long ProcessLimitHits() => ReadCounter(Path.Combine(PidsDirectory, "pids.events"), "max");

    /// <summary>Pids (host namespace) still in the VM.</summary>
    public IReadOnlyList<int> Processes()
    {
        try
        {
            return File.ReadAllLines(Path.Combine(PidsDirectory, "cgroup.procs"))
                .Where(l => l.Length > 0)
                .Select(l => int.Parse(l, CultureInfo.InvariantCulture))
                .ToArray();
        }
        catch (IOException)
        {
            return [];
        }
    }

    /// <summary>SIGKILLs every process in the VM until none is left (a fork bomb keeps forking
    /// between reads). Returns whether the cgroup ended empty.</summary>
    public async ValueTask<bool> KillAllAsync()
    {
        for (var round = 0; round < 100; round++)
        {
            var pids = Processes();
            if (pids.Count == 0)
            {
                return true;
            }
            foreach (var pid in pids)
            {
                try
                {
                    using var process = Process.GetProcessById(pid);
                    process.Kill();
                }
                catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // Already gone.
                }
            }
            await Task.Delay(round < 10 ? 1 : 10).ConfigureAwait(false);
        }
        return Processes().Count == 0;
    }

    /// <summary>Removes both directories; fails (returns false) while processes remain.</summary>
    public bool TryDelete()
    {
        var deleted = true;
        foreach (var directory in new[] { MemoryDirectory, PidsDirectory })
        {
            try
            {
                if (Directory.Exists(directory))
                {
                    Directory.Delete(directory);
                }
            }
            catch (IOException)
            {
                deleted = false;
            }
        }
        return deleted;
    }

    private static long ReadCounter(string file, string key)
    {
        try
        {
            foreach (var line in File.ReadLines(file))
            {
                var parts = line.Split(' ', 2);
                if (parts.Length == 2 && parts[0] == key)
                {
                    return long.Parse(parts[1], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }
        return 0;
    }
}

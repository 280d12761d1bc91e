using System.Globalization;

namespace Faasten.Sandbox.Bubblewrap;

/// <summary>
/// Removes what backends of dead host processes left behind: their cgroup directories and run
/// directories, named <c>PREFIX{pid}[-…]</c>. Their VMs died with them (--die-with-parent), so
/// only empty directories remain; a directory still in use is left alone.
/// </summary>
internal static class StaleSweeper
{
    public static void Sweep(string parent, string prefix, bool recursive)
    {
        try
        {
            foreach (var directory in Directory.EnumerateDirectories(parent, prefix + "*"))
            {
                var rest = Path.GetFileName(directory)[prefix.Length..];
                var pid = rest.Split('-')[0];
                if (!int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                    || id == Environment.ProcessId
                    || Directory.Exists($"/proc/{id}"))
                {
                    continue;
                }
                TryDelete(directory, recursive);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static void TryDelete(string directory, bool recursive)
    {
        try
        {
            if (!recursive)
            {
                // cgroupfs: children first, each with rmdir (their control files are not files).
                foreach (var child in Directory.EnumerateDirectories(directory))
                {
                    Directory.Delete(child);
                }
            }
            Directory.Delete(directory, recursive);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }
}

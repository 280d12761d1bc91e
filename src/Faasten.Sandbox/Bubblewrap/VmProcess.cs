using System.ComponentModel;
using System.Diagnostics;

namespace Faasten.Sandbox.Bubblewrap;

/// <summary>
/// The process side of a VM, whichever way it was made: a launched bwrap process tree, or a
/// child forked from a template (known by its host pid and its console socket).
/// </summary>
internal sealed class VmProcess
{
    private readonly Process? _launched;
    private readonly Stream? _consoleStream;
    private readonly Task<int?>? _forkedExit;

    private VmProcess(int id, Process? launched, Stream? consoleStream, ConsoleTail console, Task exited, Task<int?>? forkedExit = null)
    {
        _forkedExit = forkedExit;
        Id = id;
        _launched = launched;
        _consoleStream = consoleStream;
        Console = console;
        Exited = exited;
    }

    /// <summary>Host pid: the launcher (then bwrap) of a fresh VM, the runtime of a forked one.</summary>
    public int Id { get; }

    /// <summary>The last few KiB the VM printed. May hold function data: tests and diagnostics only.</summary>
    public ConsoleTail Console { get; }

    /// <summary>Completes when the VM's process exited: the launcher, or a forked VM's runtime (PID 1 of its namespace).</summary>
    public Task Exited { get; }

    /// <summary>" (exit status N)" when known, else empty.</summary>
    public string ExitDescription =>
        _launched is { HasExited: true } p ? $" (exit status {p.ExitCode})"
        : _forkedExit is { IsCompletedSuccessfully: true, Result: int code } ? $" (exit status {code})"
        : "";

    public bool HasExited => Exited.IsCompleted;

    public static VmProcess Launched(Process process)
    {
        var console = new ConsoleTail(process.StandardOutput.BaseStream);
        return new VmProcess(process.Id, process, null, console, process.WaitForExitAsync());
    }

    public static VmProcess Forked(ForkedChild child) =>
        new(child.ProcessId, null, child.Console, new ConsoleTail(child.Console), child.Exit, child.Exit);

    /// <summary>Kills a launched VM's process (its cgroup, when it has one, is swept by the caller).</summary>
    public void Kill(bool entireProcessTree)
    {
        try
        {
            _launched?.Kill(entireProcessTree);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception)
        {
            // Already exited.
        }
    }

    public void Dispose()
    {
        _launched?.Dispose();
        _consoleStream?.Dispose();
    }
}

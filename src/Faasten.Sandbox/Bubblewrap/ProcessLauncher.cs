using System.Collections.Concurrent;
using System.Diagnostics;

namespace Faasten.Sandbox.Bubblewrap;

/// <summary>
/// Starts processes from one dedicated thread that lives as long as the host process.
/// </summary>
/// <remarks>
/// bwrap's <c>--die-with-parent</c> is PR_SET_PDEATHSIG, which fires when the <i>thread</i>
/// that forked the process exits, not the process. Process.Start forks on the calling thread;
/// called from a thread-pool thread, a VM would be killed whenever the pool retires that
/// thread. Launching from a thread that never exits leaves the signal for what it is meant
/// for: the host process dying.
/// </remarks>
internal static class ProcessLauncher
{
    private static readonly BlockingCollection<(ProcessStartInfo Info, TaskCompletionSource<Process> Started)> Queue = CreateQueue();

    public static Task<Process> StartAsync(ProcessStartInfo info)
    {
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        Queue.Add((info, started));
        return started.Task;
    }

    private static BlockingCollection<(ProcessStartInfo, TaskCompletionSource<Process>)> CreateQueue()
    {
        var queue = new BlockingCollection<(ProcessStartInfo, TaskCompletionSource<Process>)>();
        new Thread(() => Run(queue)) { IsBackground = true, Name = "Faasten VM launcher" }.Start();
        return queue;
    }

    private static void Run(BlockingCollection<(ProcessStartInfo Info, TaskCompletionSource<Process> Started)> queue)
    {
        foreach (var (info, started) in queue.GetConsumingEnumerable())
        {
            try
            {
                started.SetResult(Process.Start(info) ?? throw new InvalidOperationException($"Could not start {info.FileName}."));
            }
#pragma warning disable CA1031 // Handed to the awaiting caller.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                started.SetException(ex);
            }
        }
    }
}

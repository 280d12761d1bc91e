using System.Diagnostics;
using System.Threading.Channels;
using Faasten.Fs.Objects;
using Faasten.Sandbox.Vm;
using Faasten.Worker.Logging;
using Microsoft.Extensions.Logging;

namespace Faasten.Worker.Execution;

/// <summary>
/// Prepares the VMs of a function as soon as a gate is given it: unpacks its image and has the
/// backend build what its first start would (the template VMs are forked from), in the
/// background and one function at a time, so that the first invocation after
/// <c>fstn register</c> already forks. Nothing of an invocation runs here.
/// </summary>
/// <remarks>
/// Bounded: at most <see cref="MaxPending"/> functions wait, and more are dropped rather than
/// slowing the writer (their first invocation prepares them, as without this). What it builds
/// is bounded by the backend (templates) and the image cache, as for invocations. Whether a
/// function was prepared changes only how long its first start takes, which is time, not state
/// (docs/security.md, "what it does not close").
/// </remarks>
internal sealed class FunctionPreparer : IAsyncDisposable
{
    public const int MaxPending = 32;

    private readonly IVmBackend _backend;
    private readonly IFunctionImages _images;
    private readonly ILogger _logger;
    private readonly Channel<Pending> _pending = Channel.CreateBounded<Pending>(
        new BoundedChannelOptions(MaxPending) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true }); // TryWrite: false when full
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public FunctionPreparer(IVmBackend backend, IFunctionImages images, ILogger logger)
    {
        _backend = backend;
        _images = images;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The spec a VM of <paramref name="function"/> starts from, its image unpacked in <paramref name="directory"/>.</summary>
    public static VmSpec SpecOf(FunctionSpec function, string directory) =>
        new(directory, function.MemoryMb) { Runtime = function.Runtime, TemplateKey = function.ImageHash };

    /// <summary>
    /// Queues <paramref name="function"/> to be prepared. The task completes when it is (or
    /// failed to be: the first start then tries again), and at once when the queue is full.
    /// </summary>
    public Task Prepare(FunctionSpec function)
    {
        var pending = new Pending(function, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        return _pending.Writer.TryWrite(pending) ? pending.Done.Task : Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        try
        {
            await foreach (var (function, done) in _pending.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    var directory = await _images.GetDirectoryAsync(function.ImageHash, _stop.Token).ConfigureAwait(false);
                    await _backend.PrepareAsync(SpecOf(function, directory), _stop.Token).ConfigureAwait(false);
                    WorkerLog.FunctionPrepared(_logger, function.ImageHash, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                catch (Exception e) when (e is not OperationCanceledException || !_stop.IsCancellationRequested)
                {
                    // The type only: a message could carry host paths or the image's own text.
                    WorkerLog.FunctionPrepareFailed(_logger, function.ImageHash, e.GetType().Name);
                }
                finally
                {
                    done.TrySetResult();
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }

        while (_pending.Reader.TryRead(out var left))
        {
            left.Done.TrySetResult(); // nobody waits on a stopped worker
        }
    }

    private readonly record struct Pending(FunctionSpec Function, TaskCompletionSource Done);
}

using Faasten.Protocol.V1;
using Faasten.Sandbox.Kernel;
using Faasten.Worker.Scheduling;

namespace Faasten.Worker.Execution;

/// <summary>
/// Function-to-function calls through the embedded scheduler. A sync call runs in the slot its
/// blocked caller lends (so chains deeper than the slot count complete); an async call is
/// queued like any other request. Both are authorized by the worker that runs them.
/// </summary>
/// <remarks>
/// The scheduler needs the worker and the worker needs this, so the scheduler is attached
/// after both exist.
/// </remarks>
internal sealed class SchedulerFunctionInvoker : IFunctionInvoker
{
    private InProcessScheduler? _scheduler;

    public void Attach(InProcessScheduler scheduler)
    {
        if (Interlocked.CompareExchange(ref _scheduler, scheduler, null) is not null)
        {
            throw new InvalidOperationException("a scheduler is already attached");
        }
    }

    public ValueTask<InvokeReply> InvokeAsync(InvokeRequest request, CancellationToken cancellationToken) =>
        Scheduler.InvokeNestedAsync(request, cancellationToken);

    public ValueTask<InvokeReply> SubmitAsync(InvokeRequest request, CancellationToken cancellationToken) =>
        Scheduler.SubmitAsync(request, cancellationToken);

    private InProcessScheduler Scheduler => Volatile.Read(ref _scheduler) ?? throw new InvalidOperationException("no scheduler attached");
}

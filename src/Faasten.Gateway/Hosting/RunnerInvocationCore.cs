using Faasten.Worker;
using Faasten.Worker.Scheduling;

namespace Faasten.Gateway.Hosting;

/// <summary>The in-process scheduler over a caller-supplied runner (tests substitute their functions here).</summary>
internal sealed class RunnerInvocationCore(IInvocationRunner runner, SchedulerOptions options, TimeProvider time) : IInvocationCore
{
    private readonly InProcessScheduler _scheduler = new(runner, options, time);

    public IInvocationScheduler Scheduler => _scheduler;

    public int Running => _scheduler.Running;

    public int Queued => _scheduler.Queued;

    public Task DrainAsync(CancellationToken cancellationToken) => _scheduler.DrainAsync(cancellationToken);

    public ValueTask DisposeAsync() => _scheduler.DisposeAsync();
}

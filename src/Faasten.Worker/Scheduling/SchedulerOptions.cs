namespace Faasten.Worker.Scheduling;

public sealed record SchedulerOptions
{
    /// <summary>Requests waiting for a slot; one more is answered QueueFull at once.</summary>
    public int QueueCapacity { get; init; } = 1024;

    /// <summary>
    /// Requests one invoker (one privilege) may have waiting; one more is answered QueueFull
    /// for that invoker alone. Nested sync calls never queue, so they never count.
    /// </summary>
    public int MaxQueuedPerInvoker { get; init; } = 128;

    /// <summary>
    /// Top-level invocations one invoker may have running at once; 0 (the default) lets one
    /// invoker use every slot while nobody else waits (queued invokers already take turns for
    /// each freed slot). Set it below <see cref="Slots"/> to keep slots free for others even
    /// while one invoker's invocations run long. Nested sync calls run in their caller's slot
    /// and never count.
    /// </summary>
    public int MaxRunningPerInvoker { get; init; }

    /// <summary>Invocations running at once. A caller blocked on a nested sync call lends its slot.</summary>
    public int Slots { get; init; } = Math.Max(2, Environment.ProcessorCount * 2);

    /// <summary>How long an async result stays fetchable after it completes.</summary>
    public TimeSpan ResultRetention { get; init; } = TimeSpan.FromMinutes(15);

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (QueueCapacity < 1)
        {
            errors.Add("QueueCapacity must be at least 1");
        }

        if (MaxQueuedPerInvoker < 1)
        {
            errors.Add("MaxQueuedPerInvoker must be at least 1");
        }

        if (MaxRunningPerInvoker < 0)
        {
            errors.Add("MaxRunningPerInvoker must not be negative (0: no limit below the slots)");
        }

        if (Slots < 1)
        {
            errors.Add("Slots must be at least 1");
        }

        if (ResultRetention <= TimeSpan.Zero)
        {
            errors.Add("ResultRetention must be positive");
        }

        return errors;
    }
}

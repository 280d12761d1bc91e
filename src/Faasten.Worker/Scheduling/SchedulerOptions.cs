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

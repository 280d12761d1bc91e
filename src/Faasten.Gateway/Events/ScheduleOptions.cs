namespace Faasten.Gateway.Events;

/// <summary>
/// When schedules fire. Every gateway process looks every <see cref="PollInterval"/>; ticks
/// within <see cref="Lookback"/> that no process claimed yet still fire (a restart or a slow
/// poll does not lose them), older ones are skipped. Immutable; checked with
/// <see cref="GatewayOptions.Validate"/>.
/// </summary>
public sealed record ScheduleOptions
{
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan Lookback { get; init; } = TimeSpan.FromMinutes(2);

    internal IEnumerable<string> Validate()
    {
        if (PollInterval < TimeSpan.FromMilliseconds(10))
        {
            yield return "Schedules.PollInterval must be at least 10 ms";
        }

        if (Lookback < PollInterval)
        {
            yield return "Schedules.Lookback must be at least Schedules.PollInterval (else ticks between polls are lost)";
        }
    }
}

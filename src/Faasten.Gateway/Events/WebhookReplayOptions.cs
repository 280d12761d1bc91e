namespace Faasten.Gateway.Events;

/// <summary>
/// How long and how many verified webhook deliveries are remembered, so that a captured signed
/// delivery cannot be sent again. Immutable; checked with <see cref="GatewayOptions.Validate"/>.
/// </summary>
public sealed record WebhookReplayOptions
{
    /// <summary>A delivery id is refused again for this long after it was accepted (GitHub redelivers failed ones with the same id).</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Most delivery ids remembered at once; past it the oldest are forgotten first.</summary>
    public int MaxDeliveries { get; init; } = 100_000;

    internal IEnumerable<string> Validate()
    {
        if (Window <= TimeSpan.Zero)
        {
            yield return "WebhookReplay.Window must be positive";
        }

        if (MaxDeliveries < 1)
        {
            yield return "WebhookReplay.MaxDeliveries must be at least 1";
        }
    }
}

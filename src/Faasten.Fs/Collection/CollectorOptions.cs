namespace Faasten.Fs.Collection;

/// <summary>How the collector decides what is old enough to reclaim, and how often the background runner runs it.</summary>
public sealed record CollectorOptions
{
    /// <summary>
    /// Nothing written, committed or unlinked more recently than this is reclaimed: it covers an
    /// upload not linked yet, a blob an invocation created and links later (invocations last at
    /// most 15 minutes), and any monitor operation in flight between resolving an object and
    /// linking it. It must exceed the longest of those.
    /// </summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Time between background collections.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromHours(1);

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Grace < TimeSpan.Zero)
        {
            errors.Add("Grace cannot be negative.");
        }

        if (Interval <= TimeSpan.Zero)
        {
            errors.Add("Interval must be positive.");
        }

        return errors;
    }
}

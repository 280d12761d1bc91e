namespace Faasten.Fs.Records;

/// <summary>How long records are kept and how much of a function's output each holds.</summary>
public sealed record InvocationRecordsOptions
{
    /// <summary>Records (with their logs and trail) older than this are deleted.</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Bytes of stdout and stderr kept per invocation; the rest is dropped and the record marked truncated.</summary>
    public int MaxLogBytes { get; init; } = 64 * 1024;

    /// <summary>Records waiting to be written at most; past it new ones are dropped (and counted), never the invocation slowed.</summary>
    public int MaxPending { get; init; } = 10_000;

    /// <summary>
    /// How long the writer gathers records before storing them in one transaction: a commit per
    /// invocation would cost the invocation a tenth of its time. Reads see waiting records, so
    /// nobody in this process waits for it; another gateway of a cluster sees a record this much later.
    /// </summary>
    public TimeSpan BatchDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (BatchDelay < TimeSpan.Zero || BatchDelay > TimeSpan.FromSeconds(10))
        {
            errors.Add($"BatchDelay must be between 0 and 10 s (got {BatchDelay}).");
        }

        if (Retention < TimeSpan.FromSeconds(1) || Retention > TimeSpan.FromDays(3650))
        {
            errors.Add($"Retention must be between 1 s and 3650 days (got {Retention}).");
        }

        if (MaxLogBytes is < 0 or > 8 * 1024 * 1024)
        {
            errors.Add($"MaxLogBytes must be between 0 and 8388608 (got {MaxLogBytes}).");
        }

        if (MaxPending < 1)
        {
            errors.Add($"MaxPending must be positive (got {MaxPending}).");
        }

        return errors;
    }
}

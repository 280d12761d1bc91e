namespace Faasten.Hosting.Configuration;

/// <summary>
/// One configuration key: its dotted path (<c>worker.slots</c>), what it means, how a value
/// changes the settings, and how the effective value reads back.
/// </summary>
/// <param name="Property">
/// The option record's property it sets, as that record's <c>Validate()</c> names it (e.g.
/// <c>MemoryBudgetMb</c>, <c>ImageCache.MaxEntries</c>), so a validation error is reported
/// under this key. Null when no record validates it.
/// </param>
internal sealed record ConfigKey(
    string Path,
    string Description,
    Func<FaastenSettings, string, FaastenSettings> Apply,
    Func<FaastenSettings, string> Show,
    string? Property = null,
    bool Secret = false)
{
    /// <summary>The environment variable that sets it: FAASTEN_ + the path in capitals, joined by __.</summary>
    public string EnvironmentVariable => "FAASTEN_" + Path.Replace(".", "__", StringComparison.Ordinal).ToUpperInvariant();
}

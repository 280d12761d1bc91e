using System.Collections.Immutable;

namespace Faasten.Fs.Objects;

/// <summary>
/// What a gate runs: an image blob, its runtime, its resource limits and its environment.
/// <see cref="Env"/> is data of the gate, readable by whoever may read the gate (and by the
/// function as <c>os.environ</c>): it is configuration, not a secret store.
/// </summary>
public sealed record FunctionSpec(string ImageHash, string Runtime = FunctionSpec.DefaultRuntime, int MemoryMb = FunctionSpec.DefaultMemoryMb, int TimeoutMs = FunctionSpec.DefaultTimeoutMs)
{
    public const string DefaultRuntime = "python3";
    public const int DefaultMemoryMb = 128;
    public const int DefaultTimeoutMs = 30_000;
    public const int MinMemoryMb = 16;
    public const int MaxMemoryMb = 16_384;
    public const int MaxTimeoutMs = 900_000;

    /// <summary>The runtimes a VM can run. The sandbox ships one.</summary>
    public static ImmutableArray<string> Runtimes { get; } = [DefaultRuntime];

    public ImmutableSortedDictionary<string, string> Env { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    // Records compare dictionaries by reference; two specs with equal variables are equal.
    public bool Equals(FunctionSpec? other) =>
        other is not null
        && ImageHash == other.ImageHash && Runtime == other.Runtime && MemoryMb == other.MemoryMb && TimeoutMs == other.TimeoutMs
        && Env.Count == other.Env.Count
        && Env.All(variable => other.Env.TryGetValue(variable.Key, out var value) && value == variable.Value);

    public override int GetHashCode() => HashCode.Combine(ImageHash, Runtime, MemoryMb, TimeoutMs, Env.Count);

    /// <summary>What is wrong with this function's settings, naming the field (the HTTP one), or null.</summary>
    public string? Validate()
    {
        if (!Runtimes.Contains(Runtime, StringComparer.Ordinal))
        {
            return $"unknown runtime in 'runtime': '{Clip(Runtime)}'; known runtimes: {string.Join(", ", Runtimes)}";
        }

        if (MemoryMb is < MinMemoryMb or > MaxMemoryMb)
        {
            return $"'memory' must be {MinMemoryMb}–{MaxMemoryMb} MB, got {MemoryMb}";
        }

        if (TimeoutMs is < 1 or > MaxTimeoutMs)
        {
            return $"'timeout' must be 1–{MaxTimeoutMs} ms (15 min), got {TimeoutMs}";
        }

        return FunctionEnv.Validate(Env);
    }

    // Echoing the caller's own input back is fine; a clipped echo keeps the line readable.
    internal static string Clip(string text) => text.Length <= 64 ? text : text[..64] + "…";
}

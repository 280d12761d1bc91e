namespace Faasten.Fs.Objects;

/// <summary>What a gate runs: an image blob, its runtime and its resource limits.</summary>
public sealed record FunctionSpec(string ImageHash, string Runtime = FunctionSpec.DefaultRuntime, int MemoryMb = FunctionSpec.DefaultMemoryMb, int TimeoutMs = FunctionSpec.DefaultTimeoutMs)
{
    public const string DefaultRuntime = "python3";
    public const int DefaultMemoryMb = 128;
    public const int DefaultTimeoutMs = 30_000;
}

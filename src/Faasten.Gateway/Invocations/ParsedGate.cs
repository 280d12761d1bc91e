using System.Collections.Immutable;
using Faasten.Fs.Objects;
using Faasten.Labels;

namespace Faasten.Gateway.Invocations;

/// <summary>
/// A validated POST/PUT /gates body. <see cref="ImagePath"/> names the image's blob entry
/// (rule 8: never a hash); <see cref="WithImage"/> makes the function once the monitor resolved it.
/// </summary>
internal sealed record ParsedGate(string Path, Component Privilege, Component Clearance, Component? Declassify, Label? Label, string ImagePath, FunctionSpec Function)
{
    public FunctionSpec WithImage(string hash) => Function with { ImageHash = hash };

    public static FunctionSpec FunctionOf(string? runtime, int? memory, int? timeout, Dictionary<string, string>? env) =>
        new("", runtime ?? FunctionSpec.DefaultRuntime, memory ?? FunctionSpec.DefaultMemoryMb, timeout ?? FunctionSpec.DefaultTimeoutMs)
        {
            Env = (env ?? []).ToImmutableSortedDictionary(StringComparer.Ordinal),
        };
}

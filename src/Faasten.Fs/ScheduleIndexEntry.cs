using System.Text.Json.Serialization;

namespace Faasten.Fs;

/// <summary>The stored index entry of a schedule: where it was linked, by whom (for '~'), and when.</summary>
internal sealed record ScheduleIndexEntry(
    [property: JsonPropertyName("p")] string Path,
    [property: JsonPropertyName("c")] string Creator,
    [property: JsonPropertyName("t")] long SinceMs);

[JsonSerializable(typeof(ScheduleIndexEntry))]
internal sealed partial class ScheduleJsonContext : JsonSerializerContext;

using System.Text.Json.Serialization;

namespace Faasten.Gateway.Json;

/// <summary>An invocation record as the API shows it; times are ISO 8601 UTC with milliseconds.</summary>
internal sealed record RecordResponse(
    string Id,
    string Gate,
    string Status,
    string Queued,
    string? Started,
    string? Finished,
    bool Cold,
    string? Vm,
    string Worker,
    string Label)
{
    /// <summary>Only in a single record's answer, not in listings.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<TrailStepResponse>? Trail { get; init; }
}

using System.Text.Json.Serialization;

namespace Faasten.Gateway.Json;

/// <param name="Failing">The checks that failed, by name (never their error text).</param>
internal sealed record HealthResponse(string Status)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Failing { get; init; }
}

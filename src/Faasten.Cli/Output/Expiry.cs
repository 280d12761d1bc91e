using System.Globalization;
using System.Text.Json;

namespace Faasten.Cli.Output;

/// <summary>Token expiry as the server sent it: an ISO date string, or Unix seconds, normalized to ISO 8601.</summary>
internal static class Expiry
{
    public static string? Format(JsonElement? expires) => expires switch
    {
        { ValueKind: JsonValueKind.String } e => e.GetString(),
        { ValueKind: JsonValueKind.Number } e when e.TryGetInt64(out var seconds) =>
            DateTimeOffset.FromUnixTimeSeconds(seconds).ToString("O", CultureInfo.InvariantCulture),
        _ => null,
    };
}

using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Faasten.Cli.Http;

namespace Faasten.Cli.Commands;

/// <summary>JSON given on the command line (payloads), parsed before anything is sent.</summary>
internal static class JsonArgument
{
    /// <summary>The parsed value, or a bad_json error that starts with <paramref name="notJson"/> and says why.</summary>
    public static bool TryParse(string text, string notJson, out JsonElement value, [NotNullWhen(false)] out ApiError? error)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            value = document.RootElement.Clone();
            error = null;
            return true;
        }
        catch (JsonException e)
        {
            value = default;
            error = ApiError.BadInput($"{notJson}: {e.Message}", "bad_json");
            return false;
        }
    }
}

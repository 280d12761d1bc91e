using System.Diagnostics.CodeAnalysis;
using Faasten.Labels;
using Microsoft.AspNetCore.Http;

namespace Faasten.Gateway.Http;

/// <summary>Parses query parameters and label-valued fields into values or a 400 naming the field and offset.</summary>
internal static class Args
{
    public static bool TryQuery(HttpContext http, string name, bool required, out string? value, [NotNullWhen(false)] out IResult? error)
    {
        value = null;
        error = null;
        var values = http.Request.Query[name];
        if (values.Count > 1)
        {
            error = ApiResults.BadRequest($"query parameter '{name}' is given {values.Count} times");
            return false;
        }

        value = values.Count == 1 ? values[0] : null;
        if (value is null && required)
        {
            error = name == "path"
                ? ApiResults.BadPath("the 'path' query parameter is required (percent-encoded; empty for the root)")
                : ApiResults.BadRequest($"the '{name}' query parameter is required");
            return false;
        }

        return true;
    }

    public static bool TryPath(HttpContext http, out string path, [NotNullWhen(false)] out IResult? error)
    {
        var ok = TryQuery(http, "path", required: true, out var value, out error);
        path = value ?? "";
        return ok;
    }

    /// <summary>A label from an optional query parameter.</summary>
    public static bool TryQueryLabel(HttpContext http, string name, out Label? label, [NotNullWhen(false)] out IResult? error)
    {
        label = null;
        return TryQuery(http, name, required: false, out var text, out error) && TryLabel(text, name, required: false, out label, out error);
    }

    public static bool TryLabel(string? text, string field, bool required, out Label? label, [NotNullWhen(false)] out IResult? error)
    {
        label = null;
        error = null;
        if (text is null)
        {
            if (required)
            {
                error = ApiResults.BadLabel($"'{field}' is required (a label 'S,I')");
                return false;
            }

            return true;
        }

        if (Label.TryParse(text, out label, out var e))
        {
            return true;
        }

        error = ApiResults.BadLabel($"bad label in '{field}': {e.Message}");
        return false;
    }

    public static bool TryComponent(string? text, string field, bool required, out Component? component, [NotNullWhen(false)] out IResult? error)
    {
        component = null;
        error = null;
        if (text is null)
        {
            if (required)
            {
                error = ApiResults.BadLabel($"'{field}' is required (a component such as 'alice' or 'T')");
                return false;
            }

            return true;
        }

        if (Component.TryParse(text, out component, out var e))
        {
            return true;
        }

        error = ApiResults.BadLabel($"bad component in '{field}': {e.Message}");
        return false;
    }

    public static bool TryRequired([NotNullWhen(true)] string? value, string field, [NotNullWhen(false)] out IResult? error)
    {
        error = value is null ? ApiResults.BadRequest($"'{field}' is required") : null;
        return value is not null;
    }
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Faasten.Gateway.Events;

/// <summary>
/// The trigger path of <c>/hooks/{path}</c>, decoded from the raw request target: the
/// server leaves <c>%2F</c> encoded in <see cref="HttpRequest.Path"/>, and a Faasten path
/// may contain '/', '%' and any other character once percent-encoded.
/// </summary>
internal static class HookPath
{
    public const string RoutePrefix = "/hooks/";

    public static string? Decode(HttpContext http)
    {
        var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        var query = raw.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0)
        {
            raw = raw[..query];
        }

        var start = raw.IndexOf(RoutePrefix, StringComparison.OrdinalIgnoreCase);
        return start < 0 ? null : Uri.UnescapeDataString(raw[(start + RoutePrefix.Length)..]);
    }
}

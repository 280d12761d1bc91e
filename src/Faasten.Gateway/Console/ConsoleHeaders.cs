using Microsoft.AspNetCore.Http;

namespace Faasten.Gateway.Console;

/// <summary>
/// The security headers on every console response. The policy allows only this origin's own
/// scripts and styles (no inline script or style, no eval), images only from this origin and
/// from blob: URLs the console made of downloaded bytes, fetches only to this origin (the API),
/// no framing, plugins or base rewriting, and Trusted Types with no policy, so no string can
/// ever reach an HTML sink: names, contents, results and logs are text, always.
/// </summary>
internal static class ConsoleHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob:; connect-src 'self'; " +
        "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; " +
        "require-trusted-types-for 'script'; trusted-types 'none'";

    /// <summary>
    /// Every API answer is data, never a page: should a browser ever be sent to one (a link to
    /// <c>/fs/file?path=...</c>), it must not sniff it into HTML, and if it renders anything the
    /// sandbox gives it an opaque origin, without the console's storage and its token.
    /// </summary>
    public const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'; sandbox";

    public static Task ApplyToApi(HttpResponse response)
    {
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.TryAdd(Microsoft.Net.Http.Headers.HeaderNames.ContentSecurityPolicy, ApiPolicy);
        return Task.CompletedTask;
    }

    public static void Apply(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";
        // Revalidate every time (the ETag makes that cheap): an upgraded gateway serves its own console at once.
        headers.CacheControl = "no-cache";
        if (response.HttpContext.Request.IsHttps)
        {
            headers.StrictTransportSecurity = "max-age=31536000";
        }
    }
}

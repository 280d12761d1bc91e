using Faasten.Gateway.Events;
using Faasten.Gateway.Http;
using Faasten.Gateway.Logging;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Faasten.Gateway.Auth;

/// <summary>
/// The authentication stage: a valid bearer token gives its user and privilege; no token is
/// anonymous (privilege T). A token that is present but expired, forged or malformed is 401 —
/// never a silent downgrade to anonymous.
/// </summary>
internal sealed class CallerMiddleware(RequestDelegate next, TokenService tokens, ILogger<CallerMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var caller = Caller.Anonymous;
        var headers = http.Request.Headers.Authorization;
        if (headers.Count > 0 && http.GetEndpoint()?.Metadata.GetMetadata<EventSourceMetadata>() is null)
        {
            var (checkedCaller, reason) = headers.Count == 1 && TryBearer(headers[0], out var token)
                ? await tokens.ValidateAsync(token).ConfigureAwait(false)
                : (null, "not a single 'Authorization: Bearer <token>' header");
            if (checkedCaller is null)
            {
                GatewayLog.TokenRejected(logger, reason!);
                http.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
                var message = reason == "expired" ? "the token has expired; log in again" : "invalid bearer token";
                await ApiResults.Unauthorized(message).ExecuteAsync(http).ConfigureAwait(false);
                return;
            }

            caller = checkedCaller;
        }

        http.Features.Set(caller);
        await next(http).ConfigureAwait(false);
    }

    private static bool TryBearer(string? header, out string token)
    {
        const string Scheme = "Bearer ";
        token = "";
        if (header is null || !header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        token = header[Scheme.Length..].Trim();
        return token.Length > 0;
    }
}

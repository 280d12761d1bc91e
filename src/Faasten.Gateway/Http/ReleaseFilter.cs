using Faasten.Gateway.Logging;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Faasten.Gateway.Http;

/// <summary>
/// The release stage (DESIGN §3 rule 7), around every API endpoint: after the handler has run
/// the monitor operation, its result — data or error alike — leaves only if the computation's
/// final label flows to the request's label under the caller's privilege. Otherwise 403
/// <c>withheld</c> with a fixed message, no label header and nothing of the result.
/// Handlers return lazy results, so nothing is written before this check.
/// </summary>
internal sealed class ReleaseFilter(ILogger<ReleaseFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context).ConfigureAwait(false);
        var http = context.HttpContext;
        var computation = Computation.Of(http);
        if (!computation.CanRelease)
        {
            if (result is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
            }

            GatewayLog.ResponseWithheld(logger, http.Request.Method, RouteOf(http), computation.Context.Label.ToString(), computation.RequestLabel.ToString(), computation.Caller.Privilege.ToString());
            return ApiResults.Withheld();
        }

        http.Response.Headers[LabelHeader.Name] = LabelHeader.Format(computation.Context.Label);
        return result;
    }

    internal static string RouteOf(HttpContext http) => (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value ?? "";
}

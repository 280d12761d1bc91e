using Faasten.Gateway.Logging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Faasten.Gateway.Http;

/// <summary>
/// JSON bodies for responses no endpoint wrote: routing's 404 and 405, Kestrel's bad-request
/// exceptions (too large, malformed), and — only for genuine bugs — a 500 that says nothing
/// about the request.
/// </summary>
internal static class ErrorPages
{
    public static async Task HandleExceptionAsync(HttpContext http)
    {
        var error = http.Features.Get<IExceptionHandlerFeature>()?.Error;
        IResult result;
        if (error is BadHttpRequestException bad)
        {
            result = bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? ApiResults.Error(bad.StatusCode, ErrorCodes.TooLarge, "request body is too large")
                : ApiResults.Error(bad.StatusCode, ErrorCodes.BadRequest, bad.Message);
        }
        else if (error is Labels.LabelTooLargeException)
        {
            // Outside an endpoint (LabelLimitFilter answers inside one), so outside rule 7's
            // release check too: a fixed message, nothing about the labels involved.
            result = ApiResults.LabelTooLarge("a label exceeds the size limits");
        }
        else if (IsUnavailable(error))
        {
            // A cluster's database, blob store or queue is away (restarting, partitioned): the
            // request did not complete and may be retried. The message is fixed, so it says
            // nothing about what the request touched.
            var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ErrorPages));
            GatewayLog.BackendUnavailable(logger, error!.GetType().Name, http.Request.Method, ReleaseFilter.RouteOf(http));
            http.Response.Headers.RetryAfter = "1";
            result = ApiResults.Error(StatusCodes.Status503ServiceUnavailable, ErrorCodes.Unavailable, "a backing store or the invocation queue is unreachable; retry shortly");
        }
        else
        {
            var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ErrorPages));
            GatewayLog.UnhandledException(logger, error ?? new InvalidOperationException("unknown error"), http.Request.Method, ReleaseFilter.RouteOf(http));
            result = ApiResults.Error(StatusCodes.Status500InternalServerError, ErrorCodes.Internal, "internal server error");
        }

        await result.ExecuteAsync(http).ConfigureAwait(false);
    }

    /// <summary>
    /// Failures of a backing service rather than of the gateway: an <see cref="Protocol.Invocations.Outage"/>
    /// (the database, the queue, a socket, an HTTP store), or a timeout, anywhere in the chain.
    /// </summary>
    private static bool IsUnavailable(Exception? error) => Protocol.Invocations.Outage.Is(error) || error switch
    {
        TimeoutException => true,
        { InnerException: { } inner } => IsUnavailable(inner),
        _ => false,
    };

    public static Task WriteStatusPageAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var status = http.Response.StatusCode;
        var (code, message) = status switch
        {
            StatusCodes.Status404NotFound => (ErrorCodes.NotFound, $"no route {http.Request.Method} {http.Request.Path}; see GET /openapi.json"),
            StatusCodes.Status405MethodNotAllowed => (ErrorCodes.MethodNotAllowed, $"method {http.Request.Method} is not allowed on {http.Request.Path}"),
            StatusCodes.Status413PayloadTooLarge => (ErrorCodes.TooLarge, "request body is too large"),
            StatusCodes.Status401Unauthorized => (ErrorCodes.Unauthorized, "unauthorized"),
            >= 500 => (ErrorCodes.Internal, "internal server error"),
            _ => (ErrorCodes.BadRequest, $"bad request (HTTP {status})"),
        };
        return ApiResults.Error(status, code, message).ExecuteAsync(http);
    }
}

using Microsoft.AspNetCore.Http;

namespace Faasten.Gateway.Metrics;

/// <summary>First stage of the pipeline: measures every request, whatever answers it.</summary>
internal sealed class RequestMetricsMiddleware(RequestDelegate next, GatewayMetrics metrics, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var started = time.GetTimestamp();
        try
        {
            await next(http);
        }
        finally
        {
            metrics.Answered(http.Response.StatusCode, time.GetElapsedTime(started));
        }
    }
}

using Faasten.Gateway.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Faasten.Gateway.Health;

/// <summary>
/// <c>/healthz</c>: the process answers. <c>/readyz</c>: every backend it serves over answers
/// too (the metadata store, and what the composition root adds: blobs, the queue). Neither
/// reads anything labeled, so both are public; a failing check is named, its error is not.
/// </summary>
internal static class HealthEndpoints
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/healthz", () => Results.Json(new HealthResponse("ok"), GatewayJsonContext.Default.HealthResponse))
            .Produces<HealthResponse>()
            .WithSummary("Liveness: the process answers");
        api.MapGet("/readyz", ReadyAsync)
            .Produces<HealthResponse>()
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Readiness: the stores and the queue answer");
    }

    private static async Task<IResult> ReadyAsync(GatewayBackends backends, HttpContext http)
    {
        var failing = new List<string>();
        foreach (var check in ReadinessChecks.For(backends))
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
            timeout.CancelAfter(ProbeTimeout);
            try
            {
                await check.Probe(timeout.Token);
            }
#pragma warning disable CA1031 // any failure of a probe means "not ready", whatever it is
            catch (Exception) when (!http.RequestAborted.IsCancellationRequested)
#pragma warning restore CA1031
            {
                failing.Add(check.Name);
            }
        }

        return failing.Count == 0
            ? Results.Json(new HealthResponse("ready"), GatewayJsonContext.Default.HealthResponse)
            : Results.Json(new HealthResponse("unready") { Failing = failing }, GatewayJsonContext.Default.HealthResponse, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}

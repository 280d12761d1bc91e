using Faasten.Gateway.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Faasten.Gateway.Health;

/// <summary>
/// <c>/healthz</c>: the process answers. <c>/readyz</c>: every backend it serves over answers
/// too (the metadata store, and what the composition root adds: blobs, the queue). Neither
/// reads anything labeled, so both are public; a failing check is named, its error is not.
/// </summary>
public static class HealthEndpoints
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    internal static void Map(IEndpointRouteBuilder api) => Map(api, http => ReadinessChecks.For(http.RequestServices.GetRequiredService<GatewayBackends>()));

    /// <summary>The two routes over <paramref name="checks"/>, for a process with no gateway (a cluster worker's operator endpoint).</summary>
    public static void Map(IEndpointRouteBuilder endpoints, IReadOnlyList<ReadinessCheck> checks) => Map(endpoints, _ => checks);

    private static void Map(IEndpointRouteBuilder api, Func<HttpContext, IEnumerable<ReadinessCheck>> checks)
    {
        api.MapGet("/healthz", () => Results.Json(new HealthResponse("ok"), GatewayJsonContext.Default.HealthResponse))
            .Produces<HealthResponse>()
            .WithSummary("Liveness: the process answers");
        api.MapGet("/readyz", (Func<HttpContext, Task<IResult>>)(http => ReadyAsync(checks(http), http)))
            .Produces<HealthResponse>()
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Readiness: the stores and the queue answer");
    }

    private static async Task<IResult> ReadyAsync(IEnumerable<ReadinessCheck> checks, HttpContext http)
    {
        var failing = new List<string>();
        foreach (var check in checks)
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

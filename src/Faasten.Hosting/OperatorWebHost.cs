using System.Net;
using Faasten.Gateway;
using Faasten.Gateway.Health;
using Faasten.Gateway.Metrics;
using Faasten.Worker.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;

namespace Faasten.Hosting;

/// <summary>
/// The operator endpoint: a Kestrel listener of its own (never the public port) serving
/// <c>GET /metrics</c>, the process's meters as Prometheus text. Nothing else is routed here, and
/// nothing here is labeled: the meters carry no path, name, label or user datum. A process with
/// no public port (a cluster worker) also answers <c>/healthz</c> and <c>/readyz</c> here, over
/// its engines.
/// </summary>
internal static class OperatorWebHost
{
    public static WebApplication Build(IPEndPoint endpoint, ILoggerFactory logs, IReadOnlyList<ReadinessCheck>? readiness = null)
    {
        var builder = WebApplication.CreateSlimBuilder([GatewayWebHost.NoConfigReload]);
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(logs);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 0;
            kestrel.Listen(endpoint);
        });
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(WorkerMetrics.MeterName, GatewayMetrics.MeterName, HostingMetrics.MeterName)
            .AddPrometheusExporter());
        var app = builder.Build();
        app.MapPrometheusScrapingEndpoint("/metrics");
        if (readiness is not null)
        {
            HealthEndpoints.Map(app, readiness);
        }

        return app;
    }
}

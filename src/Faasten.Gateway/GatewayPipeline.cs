using Faasten.Gateway.Auth;
using Faasten.Gateway.Console;
using Faasten.Gateway.Events;
using Faasten.Gateway.Fs;
using Faasten.Gateway.Health;
using Faasten.Gateway.Http;
using Faasten.Gateway.Invocations;
using Faasten.Gateway.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Faasten.Gateway;

public static class GatewayPipeline
{
    /// <summary>
    /// The gateway's stages, in order, in one place. Every API request passes: error pages →
    /// routing → authentication (token → caller) → computation (privilege, request label) →
    /// endpoint (one monitor operation; a label past the limits → 400) → release (rule 7) → response.
    /// </summary>
    public static WebApplication UseFaastenGateway(this WebApplication app)
    {
        app.UseMiddleware<RequestMetricsMiddleware>();

        // API answers are never pages; set as the answer starts, so error pages get it too, and
        // only where the console's files have not set their own policy.
        app.Use((http, next) =>
        {
            http.Response.OnStarting(static state => ConsoleHeaders.ApplyToApi((HttpResponse)state), http.Response);
            return next(http);
        });

        // Exceptions become JSON (500 only for genuine bugs); empty 404/405 from routing get JSON bodies.
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = ErrorPages.HandleExceptionAsync });
        app.UseStatusCodePages(ErrorPages.WriteStatusPageAsync);

        // Routing first, so the stages below see the endpoint (the event server runs anonymously).
        app.UseRouting();
        app.UseMiddleware<CallerMiddleware>();
        app.UseMiddleware<ComputationMiddleware>();

        app.MapOpenApi("/openapi.json");
        // The console: static files that speak only the API below, so they need no stage of their own.
        ConsoleEndpoints.Map(app);
        // Filters run in the order added: release (rule 7) sees the label-limit filter's answer.
        MapApi(app.MapGroup("").AddEndpointFilter<ReleaseFilter>().AddEndpointFilter<LabelLimitFilter>());
        return app;
    }

    private static void MapApi(RouteGroupBuilder api)
    {
        AuthEndpoints.Map(api);
        InvokeEndpoints.Map(api);
        RecordEndpoints.Map(api);
        HealthEndpoints.Map(api);
        GateEndpoints.Map(api);
        var fs = api.MapGroup("/fs");
        FsReadEndpoints.Map(fs);
        FsWriteEndpoints.Map(fs);
        BlobEndpoints.Map(fs);
        CapabilityEndpoints.Map(fs);
        FsWriteEndpoints.MapDelete(api);
        HookEndpoints.Map(api);
    }
}

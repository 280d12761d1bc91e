using System.Collections.Immutable;
using System.Text.Json;
using Faasten.Fs;
using Faasten.Gateway.Events;
using Faasten.Gateway.Http;
using Faasten.Gateway.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Faasten.Gateway.Fs;

/// <summary>Creating, updating and describing services, and creating triggers and schedules: authority-carrying objects, so rule 4 applies on top of the write rules.</summary>
internal static class CapabilityEndpoints
{
    public static void Map(IEndpointRouteBuilder fs)
    {
        fs.MapPost("/service", CreateServiceAsync).JsonBody<ServiceBody>("path", "url", "taint", "privilege", "clearance").Produces(StatusCodes.Status201Created).WithSummary("Create a service (external HTTP endpoint capability)");
        fs.MapPut("/service", UpdateServiceAsync).JsonBody<ServiceBody>("path", "url", "taint", "privilege", "clearance").Produces(StatusCodes.Status200OK).WithSummary("Update a service's endpoint, headers and policy (its label never changes)");
        fs.MapGet("/service", DescribeServiceAsync).Query(("path", true, "Faasten-FS path of a service, percent-encoded")).Produces<ServiceResponse>().WithSummary("Describe a service (header names only: their values may be credentials)");
        fs.MapPost("/schedule", CreateScheduleAsync).JsonBody<ScheduleBody>("path", "cron", "gate", "privilege").Produces(StatusCodes.Status201Created).WithSummary("Create a schedule (cron-driven invocations of a gate)");
        fs.MapPost("/trigger", CreateTriggerAsync).JsonBody<TriggerBody>("path", "secret", "gate", "privilege", "payloadLabel").Produces(StatusCodes.Status201Created).WithSummary("Create an event trigger (webhook binding)");
    }

    private static async Task<IResult> CreateServiceAsync(HttpContext http, Computation computation, FileSystem fs, GatewayOptions options)
    {
        var (service, error) = await ReadServiceAsync(http, options);
        return service is null
            ? error!
            : ApiResults.Created(await fs.CreateServiceAsync(computation.Context, service.Value.Path, service.Value.Spec, service.Value.Label, http.RequestAborted));
    }

    private static async Task<IResult> UpdateServiceAsync(HttpContext http, Computation computation, FileSystem fs, GatewayOptions options)
    {
        var (service, error) = await ReadServiceAsync(http, options);
        return service is null
            ? error!
            : ApiResults.Done(await fs.UpdateServiceAsync(computation.Context, service.Value.Path, service.Value.Spec, http.RequestAborted));
    }

    private static async Task<IResult> DescribeServiceAsync(HttpContext http, Computation computation, FileSystem fs)
    {
        if (!Args.TryPath(http, out var path, out var error))
        {
            return error;
        }

        var opened = await fs.OpenServiceAsync(computation.Context, path, http.RequestAborted);
        if (!opened.IsOk)
        {
            return ApiResults.FromFs(opened.WithoutValue());
        }

        var s = opened.Value!;
        return Results.Json(
            new ServiceResponse(path, s.Label.ToString(), s.UrlTemplate, s.Verb, [.. s.Headers.Keys], s.Taint.ToString(), s.Privilege.ToString(), s.Clearance.ToString()),
            GatewayJsonContext.Default.ServiceResponse);
    }

    private static async Task<((string Path, ServiceSpec Spec, Faasten.Labels.Label? Label)? Service, IResult? Error)> ReadServiceAsync(HttpContext http, GatewayOptions options)
    {
        var (body, error) = await RequestBodies.ReadJsonAsync(http, GatewayJsonContext.Default.ServiceBody, options.MaxJsonBytes);
        if (body is null)
        {
            return (null, error);
        }

        if (!Args.TryRequired(body.Path, "path", out error)
            || !Args.TryRequired(body.Url, "url", out error)
            || !Args.TryLabel(body.Taint, "taint", required: true, out var taint, out error)
            || !Args.TryComponent(body.Privilege, "privilege", required: true, out var privilege, out error)
            || !Args.TryComponent(body.Clearance, "clearance", required: true, out var clearance, out error)
            || !Args.TryLabel(body.Label, "label", required: false, out var label, out error))
        {
            return (null, error);
        }

        var spec = new ServiceSpec(body.Url, body.Verb ?? "GET", (body.Headers ?? []).ToImmutableSortedDictionary(StringComparer.Ordinal), taint!, privilege!, clearance!);
        return ((body.Path, spec, label), null);
    }

    private static async Task<IResult> CreateTriggerAsync(HttpContext http, Computation computation, FileSystem fs, GatewayOptions options)
    {
        var (body, error) = await RequestBodies.ReadJsonAsync(http, GatewayJsonContext.Default.TriggerBody, options.MaxJsonBytes);
        if (body is null)
        {
            return error!;
        }

        if (!Args.TryRequired(body.Path, "path", out error)
            || !Args.TryRequired(body.Secret, "secret", out error)
            || !Args.TryRequired(body.Gate, "gate", out error)
            || !Args.TryComponent(body.Privilege, "privilege", required: true, out var privilege, out error)
            || !Args.TryLabel(body.PayloadLabel, "payloadLabel", required: true, out var payloadLabel, out error)
            || !Args.TryLabel(body.Label, "label", required: false, out var label, out error))
        {
            return error;
        }

        return ApiResults.Created(await fs.CreateTriggerAsync(computation.Context, body.Path, body.Secret, body.Gate, privilege!, payloadLabel!, label, http.RequestAborted));
    }

    private static async Task<IResult> CreateScheduleAsync(HttpContext http, Computation computation, FileSystem fs, GatewayOptions options)
    {
        var (body, error) = await RequestBodies.ReadJsonAsync(http, GatewayJsonContext.Default.ScheduleBody, options.MaxJsonBytes);
        if (body is null)
        {
            return error!;
        }

        if (!Args.TryRequired(body.Path, "path", out error)
            || !Args.TryRequired(body.Gate, "gate", out error)
            || !Args.TryComponent(body.Privilege, "privilege", required: true, out var privilege, out error)
            || !Args.TryLabel(body.PayloadLabel, "payloadLabel", required: false, out var payloadLabel, out error)
            || !Args.TryLabel(body.Label, "label", required: false, out var label, out error))
        {
            return error;
        }

        if (!CronText.TryParse(body.Cron, out _, out var badCron))
        {
            return ApiResults.BadRequest(badCron!);
        }

        var payload = body.Payload is { } json ? JsonSerializer.SerializeToUtf8Bytes(json) : "null"u8.ToArray();
        return ApiResults.Created(await fs.CreateScheduleAsync(
            computation.Context, body.Path, body.Cron!, body.Gate, privilege!, payloadLabel ?? computation.Context.Label, payload, label, http.RequestAborted));
    }
}

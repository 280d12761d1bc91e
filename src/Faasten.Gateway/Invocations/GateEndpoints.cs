using Faasten.Fs;
using Faasten.Fs.Objects;
using Faasten.Gateway.Http;
using Faasten.Gateway.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Faasten.Gateway.Invocations;

/// <summary>
/// POST /gates creates a gate, PUT /gates replaces its policy and function (rules 2 and 4 via
/// the monitor). The image is named by the path of its blob entry, read under rule 1 (rule 8).
/// </summary>
internal static class GateEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/gates", CreateAsync)
            .JsonBody<GateBody>()
            .Produces<PathResponse>(StatusCodes.Status201Created)
            .WithSummary("Create a gate");
        api.MapPut("/gates", UpdateAsync)
            .JsonBody<GateBody>()
            .Produces<PathResponse>()
            .WithSummary("Update a gate's privilege, clearance, declassify and function (its label never changes)");
    }

    private static async Task<IResult> CreateAsync(HttpContext http, Computation computation, FileSystem fs, GatewayOptions options)
    {
        var (gate, error) = await ReadAsync(http, options);
        if (gate is null)
        {
            return error!;
        }

        var image = await fs.ResolveImageAsync(computation.Context, gate.ImagePath, http.RequestAborted);
        if (!image.IsOk)
        {
            return ApiResults.FromFs(image.WithoutValue());
        }

        var result = await fs.CreateGateAsync(computation.Context, gate.Path, gate.Privilege, gate.Clearance, gate.WithImage(image.Value!), gate.Declassify, gate.Label, http.RequestAborted);
        return result.IsOk
            ? Results.Json(new PathResponse(gate.Path), GatewayJsonContext.Default.PathResponse, statusCode: StatusCodes.Status201Created)
            : ApiResults.FromFs(result);
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, Computation computation, FileSystem fs, GatewayOptions options)
    {
        var (gate, error) = await ReadAsync(http, options);
        if (gate is null)
        {
            return error!;
        }

        var image = await fs.ResolveImageAsync(computation.Context, gate.ImagePath, http.RequestAborted);
        if (!image.IsOk)
        {
            return ApiResults.FromFs(image.WithoutValue());
        }

        var result = await fs.UpdateGateAsync(computation.Context, gate.Path, gate.Privilege, gate.Clearance, gate.WithImage(image.Value!), gate.Declassify, http.RequestAborted);
        return result.IsOk
            ? Results.Json(new PathResponse(gate.Path), GatewayJsonContext.Default.PathResponse)
            : ApiResults.FromFs(result);
    }

    private static async Task<(ParsedGate? Gate, IResult? Error)> ReadAsync(HttpContext http, GatewayOptions options)
    {
        var (body, error) = await RequestBodies.ReadJsonAsync(http, GatewayJsonContext.Default.GateBody, options.MaxJsonBytes);
        if (body is null)
        {
            return (null, error);
        }

        if (!Args.TryRequired(body.Path, "path", out error)
            || !Args.TryRequired(body.Blob, "blob", out error)
            || !Args.TryComponent(body.Privilege, "privilege", required: true, out var privilege, out error)
            || !Args.TryComponent(body.Clearance, "clearance", required: true, out var clearance, out error)
            || !Args.TryComponent(body.Declassify, "declassify", required: false, out var declassify, out error)
            || !Args.TryLabel(body.Label, "label", required: false, out var label, out error))
        {
            return (null, error);
        }

        return (new ParsedGate(
            body.Path,
            privilege!,
            clearance!,
            declassify,
            label,
            body.Blob!,
            body.Runtime ?? FunctionSpec.DefaultRuntime,
            body.Memory ?? FunctionSpec.DefaultMemoryMb,
            body.Timeout ?? FunctionSpec.DefaultTimeoutMs), null);
    }
}

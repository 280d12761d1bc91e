using Faasten.Fs;
using Faasten.Fs.Objects;
using Faasten.Gateway.Fs;
using Faasten.Gateway.Http;
using Faasten.Gateway.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Faasten.Gateway.Invocations;

/// <summary>
/// POST /gates creates a gate, PUT /gates replaces its policy and function (rules 2 and 4 via
/// the monitor), GET /gates describes one under its label. The image is named by the path of
/// its blob entry, read under rule 1 (rule 8).
/// </summary>
internal static class GateEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/gates", CreateAsync)
            .JsonBody<GateBody>("path", "blob", "privilege", "clearance")
            .Produces<PathResponse>(StatusCodes.Status201Created)
            .WithSummary("Create a gate");
        api.MapPut("/gates", UpdateAsync)
            .JsonBody<GateBody>("path", "blob", "privilege", "clearance")
            .Produces<PathResponse>()
            .WithSummary("Update a gate's privilege, clearance, declassify and function (its label never changes)");
        api.MapGet("/gates", DescribeAsync)
            .Query(("path", true, "Faasten-FS path of a gate or redirect gate, percent-encoded"))
            .Produces<GateResponse>()
            .WithSummary("Describe a gate: its policy, function and environment (released under the gate's label)");
    }

    private static Task<IResult> CreateAsync(HttpContext http, Computation computation, FileSystem fs, GatewayOptions options) =>
        WriteAsync(http, computation, fs, options, async (gate, hash) =>
        {
            var result = await fs.CreateGateAsync(computation.Context, gate.Path, gate.Privilege, gate.Clearance, gate.WithImage(hash), gate.Declassify, gate.Label, http.RequestAborted);
            return result.IsOk
                ? Results.Json(new PathResponse(gate.Path), GatewayJsonContext.Default.PathResponse, statusCode: StatusCodes.Status201Created)
                : ApiResults.FromFs(result);
        });

    private static Task<IResult> UpdateAsync(HttpContext http, Computation computation, FileSystem fs, GatewayOptions options) =>
        WriteAsync(http, computation, fs, options, async (gate, hash) =>
        {
            var result = await fs.UpdateGateAsync(computation.Context, gate.Path, gate.Privilege, gate.Clearance, gate.WithImage(hash), gate.Declassify, http.RequestAborted);
            return result.IsOk
                ? Results.Json(new PathResponse(gate.Path), GatewayJsonContext.Default.PathResponse)
                : ApiResults.FromFs(result);
        });

    private static async Task<IResult> DescribeAsync(HttpContext http, Computation computation, FileSystem fs)
    {
        if (!Args.TryPath(http, out var path, out var error))
        {
            return error;
        }

        var opened = await fs.OpenGateAsync(computation.Context, path, http.RequestAborted);
        if (!opened.IsOk)
        {
            return ApiResults.FromFs(opened.WithoutValue());
        }

        var described = opened.Value switch
        {
            Gate g => new GateResponse(path, KindNames.Of(g.Kind), g.Label.ToString(), g.Privilege.ToString(), g.Clearance.ToString(), g.Declassify.ToString(),
                Target: null, g.Function.ImageHash, g.Function.Runtime, g.Function.MemoryMb, g.Function.TimeoutMs, new Dictionary<string, string>(g.Function.Env, StringComparer.Ordinal)),
            RedirectGate r => new GateResponse(path, KindNames.Of(r.Kind), r.Label.ToString(), r.Privilege.ToString(), r.Clearance.ToString(), r.Declassify.ToString(),
                r.Target, Image: null, Runtime: null, Memory: null, Timeout: null, Env: null),
            _ => throw new InvalidOperationException("OpenGateAsync returned neither a gate nor a redirect gate"),
        };
        return Results.Json(described, GatewayJsonContext.Default.GateResponse);
    }

    // Checks that depend only on the body come first: their answers reveal nothing stored.
    private static async Task<IResult> WriteAsync(HttpContext http, Computation computation, FileSystem fs, GatewayOptions options, Func<ParsedGate, string, Task<IResult>> write)
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

        if (await FunctionImageCheck.CheckAsync(fs, image.Value!, http.RequestAborted) is { } notImage)
        {
            return ApiResults.BadRequest(notImage);
        }

        return await write(gate, image.Value!);
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

        var function = ParsedGate.FunctionOf(body.Runtime, body.Memory, body.Timeout, body.Env);
        if (function.Validate() is { } invalid)
        {
            return (null, ApiResults.BadRequest(invalid));
        }

        return (new ParsedGate(body.Path, privilege!, clearance!, declassify, label, body.Blob!, function), null);
    }
}

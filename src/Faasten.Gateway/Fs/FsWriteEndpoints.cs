using Faasten.Fs;
using Faasten.Gateway.Http;
using Faasten.Gateway.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Faasten.Gateway.Fs;

/// <summary>Creating, writing, linking and unlinking. Labels default to the computation's current label (DESIGN §3).</summary>
internal static class FsWriteEndpoints
{
    public static void Map(IEndpointRouteBuilder fs)
    {
        fs.MapPost("/file", CreateFileAsync).Query(("path", true, "Faasten-FS path, percent-encoded; empty for the root"), ("label", false, "Label of the new object (S,I); default the computation's current label")).BytesBody().Produces(StatusCodes.Status201Created).WithSummary("Create a file with initial content");
        fs.MapPut("/file", WriteFileAsync).Query(("path", true, "Faasten-FS path, percent-encoded; empty for the root")).BytesBody().Produces(StatusCodes.Status200OK).WithSummary("Replace a file's content");
        fs.MapPost("/dir", CreateDirectoryAsync).Query(("path", true, "Faasten-FS path, percent-encoded; empty for the root"), ("label", false, "Label of the new object (S,I); default the computation's current label")).Produces(StatusCodes.Status201Created).WithSummary("Create a directory");
        fs.MapPost("/faceted", CreateFacetedAsync).Query(("path", true, "Faasten-FS path, percent-encoded; empty for the root")).Produces(StatusCodes.Status201Created).WithSummary("Create a faceted directory");
        fs.MapPost("/link", LinkAsync).JsonBody<LinkBody>("source", "destination").Produces(StatusCodes.Status201Created).WithSummary("Hard-link an existing object under a new name");
    }

    /// <summary>DELETE /fs?path= sits on the group's own route.</summary>
    public static void MapDelete(IEndpointRouteBuilder api) =>
        api.MapDelete("/fs", DeleteAsync).Query(("path", true, "Faasten-FS path, percent-encoded; empty for the root")).Produces(StatusCodes.Status200OK).WithSummary("Unlink a name from its directory");

    private static async Task<IResult> CreateFileAsync(HttpContext http, Computation computation, FileSystem fs, GatewayOptions options)
    {
        if (!Args.TryPath(http, out var path, out var error) || !Args.TryQueryLabel(http, "label", out var label, out error))
        {
            return error;
        }

        var (body, bodyError) = await RequestBodies.ReadAsync(http, options.MaxFileBytes);
        if (body is null)
        {
            return bodyError!;
        }

        using (body)
        {
            return ApiResults.Created(await fs.CreateFileAsync(computation.Context, path, label, body.Memory, http.RequestAborted));
        }
    }

    private static async Task<IResult> WriteFileAsync(HttpContext http, Computation computation, FileSystem fs, GatewayOptions options)
    {
        if (!Args.TryPath(http, out var path, out var error))
        {
            return error;
        }

        var (body, bodyError) = await RequestBodies.ReadAsync(http, options.MaxFileBytes);
        if (body is null)
        {
            return bodyError!;
        }

        using (body)
        {
            return ApiResults.Done(await fs.WriteFileAsync(computation.Context, path, body.Memory, http.RequestAborted));
        }
    }

    private static async Task<IResult> CreateDirectoryAsync(HttpContext http, Computation computation, FileSystem fs)
    {
        if (!Args.TryPath(http, out var path, out var error) || !Args.TryQueryLabel(http, "label", out var label, out error))
        {
            return error;
        }

        return ApiResults.Created(await fs.CreateDirectoryAsync(computation.Context, path, label, http.RequestAborted));
    }

    private static async Task<IResult> CreateFacetedAsync(HttpContext http, Computation computation, FileSystem fs)
    {
        if (!Args.TryPath(http, out var path, out var error))
        {
            return error;
        }

        return ApiResults.Created(await fs.CreateFacetedDirectoryAsync(computation.Context, path, http.RequestAborted));
    }

    private static async Task<IResult> LinkAsync(HttpContext http, Computation computation, FileSystem fs, GatewayOptions options)
    {
        var (body, error) = await RequestBodies.ReadJsonAsync(http, GatewayJsonContext.Default.LinkBody, options.MaxJsonBytes);
        if (body is null)
        {
            return error!;
        }

        if (!Args.TryRequired(body.Source, "source", out error) || !Args.TryRequired(body.Destination, "destination", out error))
        {
            return error;
        }

        return ApiResults.Created(await fs.HardLinkAsync(computation.Context, body.Source, body.Destination, http.RequestAborted));
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, Computation computation, FileSystem fs)
    {
        if (!Args.TryPath(http, out var path, out var error))
        {
            return error;
        }

        return ApiResults.Done(await fs.DeleteAsync(computation.Context, path, http.RequestAborted));
    }
}

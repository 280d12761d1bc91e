using Faasten.Fs;
using Faasten.Gateway.Http;
using Faasten.Gateway.Json;
using Faasten.Labels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Faasten.Gateway.Fs;

/// <summary>Reading the file system: stat, list, faceted list and file content. Each read taints the request's computation.</summary>
internal static class FsReadEndpoints
{
    private static readonly (string, bool, string) Cursor = ("cursor", false, "The 'next' of the previous page; absent for the first page");
    private static readonly (string, bool, string) Limit = ("limit", false, "Page size, 1 to 1000 (default 1000)");

    public static void Map(IEndpointRouteBuilder fs)
    {
        fs.MapGet("/stat", StatAsync).Query(("path", true, "Faasten-FS path, percent-encoded; empty for the root")).Produces<StatResponse>().WithSummary("Kind and label of the object at a path");
        fs.MapGet("/list", ListAsync).Query(("path", true, "Faasten-FS path, percent-encoded; empty for the root"), Cursor, Limit).Produces<ListResponse>().WithSummary("A page of a directory's entries in name order; 'next' is the cursor of the following page, absent on the last");
        fs.MapGet("/facets", FacetsAsync).Query(("path", true, "Faasten-FS path, percent-encoded; empty for the root"), ("clearance", false, "Facets that flow to this label are listed; default U,T for privilege U"), Cursor, Limit).Produces<FacetsResponse>().WithSummary("A page of the stored facets of a faceted directory that flow to the clearance (default: every facet the caller may read)");
        fs.MapGet("/file", ReadFileAsync).Query(("path", true, "Faasten-FS path, percent-encoded; empty for the root")).Produces<byte[]>(contentType: "application/octet-stream").WithSummary("A file's bytes");
    }

    private static async Task<IResult> StatAsync(HttpContext http, Computation computation, FileSystem fs)
    {
        if (!Args.TryPath(http, out var path, out var error))
        {
            return error;
        }

        var result = await fs.StatAsync(computation.Context, path, http.RequestAborted);
        return result.IsOk
            ? Results.Json(new StatResponse(KindNames.Of(result.Value.Kind), result.Value.Label?.ToString()), GatewayJsonContext.Default.StatResponse)
            : ApiResults.FromFs(result.WithoutValue());
    }

    private static async Task<IResult> ListAsync(HttpContext http, Computation computation, FileSystem fs)
    {
        if (!Args.TryPath(http, out var path, out var error) || !PageArgs.TryParse(http, out var after, out var limit, out error))
        {
            return error;
        }

        var result = await fs.ListPageAsync(computation.Context, path, after, limit, http.RequestAborted);
        if (!result.IsOk)
        {
            return ApiResults.FromFs(result.WithoutValue());
        }

        var page = result.Value!.Entries;
        var entries = new EntryResponse[page.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = new EntryResponse(page[i].Name, KindNames.Of(page[i].Kind));
        }

        return Results.Json(new ListResponse(entries, PageArgs.Encode(result.Value.Next)), GatewayJsonContext.Default.ListResponse);
    }

    private static async Task<IResult> FacetsAsync(HttpContext http, Computation computation, FileSystem fs)
    {
        if (!Args.TryPath(http, out var path, out var error) || !Args.TryQueryLabel(http, "clearance", out var clearance, out error)
            || !PageArgs.TryParse(http, out var after, out var limit, out error))
        {
            return error;
        }

        // Default clearance: every facet the caller could read and release (secrecy its privilege
        // can declassify, any integrity). The monitor's default, the current label, would hide
        // the caller's own private facets and every facet vouched for by someone else.
        clearance ??= new Label(computation.Caller.Privilege, Component.True);
        var result = await fs.ListFacetsPageAsync(computation.Context, path, clearance, after, limit, http.RequestAborted);
        return result.IsOk
            ? Results.Json(new FacetsResponse([.. result.Value!.Facets.Select(l => l.ToString())], PageArgs.Encode(result.Value.Next)), GatewayJsonContext.Default.FacetsResponse)
            : ApiResults.FromFs(result.WithoutValue());
    }

    private static async Task<IResult> ReadFileAsync(HttpContext http, Computation computation, FileSystem fs)
    {
        if (!Args.TryPath(http, out var path, out var error))
        {
            return error;
        }

        var result = await fs.ReadFileAsync(computation.Context, path, http.RequestAborted);
        return result.IsOk ? Results.Bytes(result.Value!, "application/octet-stream") : ApiResults.FromFs(result.WithoutValue());
    }
}

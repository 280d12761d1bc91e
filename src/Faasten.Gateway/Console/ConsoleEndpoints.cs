using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace Faasten.Gateway.Console;

/// <summary>
/// The web console (DESIGN §10): <c>/</c> is its page and <c>/console/{name}</c> its scripts and
/// styles. Static files only, the same for every caller: the console reads and changes the file
/// system through the public API with the signed-in user's token, so the monitor and rule 7 hold
/// it to what <c>fstn</c> may do. Not part of the API, so outside the release filter and the
/// OpenAPI document.
/// </summary>
internal static class ConsoleEndpoints
{
    private const string Page = "index.html";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapMethods("/", [HttpMethods.Get, HttpMethods.Head], (HttpContext http) => Serve(http, Page)).ExcludeFromDescription();
        app.MapMethods("/console/{name}", [HttpMethods.Get, HttpMethods.Head], (HttpContext http, string name) => Serve(http, name)).ExcludeFromDescription();
    }

    private static IResult Serve(HttpContext http, string name)
    {
        ConsoleHeaders.Apply(http.Response);
        if (!ConsoleAssets.Embedded.TryGet(name, out var asset))
        {
            return Http.ApiResults.NotFound("no such console file");
        }

        http.Response.Headers.ETag = asset.ETag;
        if (http.Request.Headers.IfNoneMatch.Contains(asset.ETag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(asset.Content, asset.ContentType);
    }
}

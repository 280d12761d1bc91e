using Microsoft.AspNetCore.Builder;
using Microsoft.OpenApi;

namespace Faasten.Gateway.Http;

/// <summary>
/// Documents request bodies in the OpenAPI document without <c>Accepts</c> metadata, which
/// would make routing refuse other content types with 415: handlers read bodies themselves
/// and accept JSON whatever the client labels it (curl -d sends form encoding).
/// </summary>
internal static class OpenApiBodies
{
    public static RouteHandlerBuilder JsonBody<T>(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, ct) =>
            operation.RequestBody = Body("application/json", await context.GetOrCreateSchemaAsync(typeof(T), null, ct).ConfigureAwait(false)));

    public static RouteHandlerBuilder BytesBody(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.RequestBody = Body("application/octet-stream", new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" });
            return Task.CompletedTask;
        });

    private static OpenApiRequestBody Body(string contentType, IOpenApiSchema schema) => new()
    {
        Required = true,
        Content = new Dictionary<string, OpenApiMediaType> { [contentType] = new() { Schema = schema } },
    };
}

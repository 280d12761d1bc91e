using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Faasten.Gateway.Http;

/// <summary>
/// Describes what handlers read by hand in the OpenAPI document: request bodies (without
/// <c>Accepts</c> metadata, which would make routing refuse other content types with 415;
/// handlers accept JSON whatever the client labels it, as curl -d sends form encoding),
/// query parameters, and the error answers every route can give.
/// </summary>
internal static class OpenApiDocs
{
    private static readonly (string Status, string Description)[] CommonErrors =
    [
        ("400", "Bad input: bad_request, bad_path, bad_label or bad_json"),
        ("401", "Bad, expired or forged bearer token"),
        ("403", "Denied (label_denied, privilege_denied, forbidden) or withheld by label (withheld)"),
    ];

    public static RouteHandlerBuilder Query(this RouteHandlerBuilder builder, params (string Name, bool Required, string Description)[] parameters) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            foreach (var (name, required, description) in parameters)
            {
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = name,
                    In = ParameterLocation.Query,
                    Required = required,
                    Description = description,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                });
            }

            return Task.CompletedTask;
        });

    /// <summary>Adds the error answers every operation can give, with the error body's schema.</summary>
    public static async Task AddCommonErrorsAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var schema = await context.GetOrCreateSchemaAsync(typeof(Json.ErrorBody), null, ct).ConfigureAwait(false);
        operation.Responses ??= [];
        foreach (var (status, description) in CommonErrors)
        {
            if (!operation.Responses.ContainsKey(status))
            {
                operation.Responses[status] = new OpenApiResponse
                {
                    Description = description,
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
                };
            }
        }
    }

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

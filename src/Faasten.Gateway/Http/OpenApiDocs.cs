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

    /// <summary>
    /// The JSON body's schema. Its fields are nullable constructor parameters, which the schema
    /// generator would list as required; <paramref name="required"/> says which really are.
    /// </summary>
    public static RouteHandlerBuilder JsonBody<T>(this RouteHandlerBuilder builder, params string[] required) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, ct) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(T), null, ct).ConfigureAwait(false);
            if (schema is OpenApiSchema body && body.Properties is { Count: > 0 })
            {
                body.Required = new HashSet<string>(required, StringComparer.Ordinal);
            }

            operation.RequestBody = Body("application/json", schema);
        });

    /// <summary>A route parameter the handler reads itself (a catch-all the generator does not describe).</summary>
    public static RouteHandlerBuilder PathParameter(this RouteHandlerBuilder builder, string name, string description) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Path,
                Required = true,
                Description = description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
            return Task.CompletedTask;
        });

    /// <summary>An operation that ignores any bearer token (the webhook sender is always anonymous).</summary>
    public static RouteHandlerBuilder Anonymous(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Security = [];
            return Task.CompletedTask;
        });

    /// <summary>
    /// Document-wide: the bearer scheme, optional on every route (anonymous callers run with
    /// privilege T), the server URL (the document is served by the gateway it describes:
    /// the request's own host, without the trailing slash linters refuse), tag descriptions, and an
    /// operation id per operation.
    /// </summary>
    public static Task DescribeDocumentAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Info.Title = "Faasten";
        document.Info.Description = "The Faasten gateway: authentication, invocation, the labeled file system and webhooks (docs/http-api.md).";
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }

        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
        {
            tag.Description ??= tag.Name is { } name && TagDescriptions.TryGetValue(name, out var description) ? description : null;
        }

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "A token from POST /auth/login or /auth/delegate. Without one the caller is anonymous (privilege T).",
        };
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] }, new OpenApiSecurityRequirement()];
        foreach (var (path, item) in document.Paths)
        {
            foreach (var (method, operation) in item.Operations ?? [])
            {
                operation.OperationId ??= OperationId(method.Method, path);
            }
        }

        return Task.CompletedTask;
    }

    private const string BearerScheme = "bearer";

    // Tags are the endpoint classes' names.
    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["AuthEndpoints"] = "Login, identity and delegated tokens",
        ["InvokeEndpoints"] = "Invoking gates and fetching results",
        ["GateEndpoints"] = "Creating, updating and describing gates",
        ["FsReadEndpoints"] = "Reading the labeled file system",
        ["FsWriteEndpoints"] = "Changing the labeled file system",
        ["BlobEndpoints"] = "Streamed blob upload and download",
        ["CapabilityEndpoints"] = "Services, triggers and schedules",
        ["HookEndpoints"] = "The event server (webhook deliveries)",
    };

    // "POST /fs/blob" → "postFsBlob", "GET /invocations/{id}" → "getInvocationsById".
    private static string OperationId(string method, string path)
    {
        var id = new System.Text.StringBuilder(method.ToLowerInvariant());
        foreach (var segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var word = segment.StartsWith('{') ? "By" + char.ToUpperInvariant(segment[1]) + segment[2..].TrimEnd('}') : segment;
            id.Append(char.ToUpperInvariant(word[0])).Append(word.AsSpan(1));
        }

        return id.ToString();
    }

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

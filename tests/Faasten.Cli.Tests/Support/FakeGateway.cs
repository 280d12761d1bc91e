using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Faasten.Cli.Tests.Support;

/// <summary>
/// A scripted stand-in for the gateway on a real Kestrel bound to 127.0.0.1:0: each test
/// says how routes answer and then inspects what the CLI sent. Unscripted routes are 404.
/// </summary>
internal sealed class FakeGateway : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Func<RecordedRequest, IResult>> _routes = new(StringComparer.Ordinal);

    private FakeGateway(WebApplication app)
    {
        _app = app;
    }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public string Address => _app.Urls.First();

    public static async Task<FakeGateway> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var gateway = new FakeGateway(app);
        app.Run(gateway.HandleAsync);
        await app.StartAsync();
        return gateway;
    }

    /// <summary>Scripts <c>METHOD /route</c> (query ignored); the handler sees the recorded request.</summary>
    public FakeGateway On(string method, string route, Func<RecordedRequest, IResult> answer)
    {
        _routes[method + " " + route] = answer;
        return this;
    }

    public FakeGateway On(string method, string route, int status, object? json = null) =>
        On(method, route, _ => Json(status, json));

    public static IResult Json(int status, object? body, string? label = null) =>
        new LabeledResult(body is null ? Results.StatusCode(status) : Results.Content(Serialize(body), "application/json", statusCode: status), label);

    public static IResult Error(int status, string code, string message) =>
        Json(status, new JsonObject { ["error"] = message, ["code"] = code });

    public static IResult Bytes(byte[] content, string? label = null) =>
        new LabeledResult(Results.Bytes(content, "application/octet-stream"), label);

    public RecordedRequest Single(string method, string route) =>
        Assert.Single(Requests, r => r.Method == method && r.Path == route);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static string Serialize(object body) => body switch
    {
        JsonNode node => node.ToJsonString(),
        string text => text,
        _ => throw new ArgumentException("Script bodies as JsonNode or raw JSON text.", nameof(body)),
    };

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var request = new RecordedRequest(
            context.Request.Method,
            context.Request.Path.Value ?? "/",
            context.Request.QueryString.Value ?? string.Empty,
            context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal),
            context.Request.Headers.Authorization.FirstOrDefault(),
            context.Request.ContentLength,
            body.ToArray());
        Requests.Enqueue(request);

        var result = _routes.TryGetValue(request.Method + " " + request.Path, out var answer)
            ? answer(request)
            : Error(404, "not_found", $"no route {request.Method} {request.Path}");
        await result.ExecuteAsync(context);
    }
}

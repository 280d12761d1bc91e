using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Faasten.Gateway.Admin;
using Faasten.Hosting;
using Faasten.Tests.Common;
using Microsoft.Extensions.Logging;

namespace Faasten.Gateway.Tests.TestSupport;

/// <summary>
/// The whole embedded server on a real Kestrel at 127.0.0.1:0 in a temp data directory, with
/// the real in-process scheduler over <see cref="ScriptedRunner"/>, users alice and bob, a
/// manual clock and captured logs.
/// </summary>
internal sealed class GatewayHarness : IAsyncDisposable
{
    public const string AlicePassword = "correct horse alice";
    public const string BobPassword = "battery staple bob";

    private readonly TempDirectory _dir;
    private readonly HttpMessageHandler _handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };

    private GatewayHarness(TempDirectory dir, FaastenServer server, ManualTimeProvider clock, LogCapture logs, ScriptedRunner runner)
    {
        _dir = dir;
        Server = server;
        Clock = clock;
        Logs = logs;
        Runner = runner;
    }

    public FaastenServer Server { get; }

    public ManualTimeProvider Clock { get; }

    public LogCapture Logs { get; }

    public ScriptedRunner Runner { get; }

    /// <summary>The local blob store's directory: what an upload leaves behind is visible here.</summary>
    public string BlobDirectory => System.IO.Path.Combine(_dir.Path, "blobs");

    public static async Task<GatewayHarness> StartAsync(GatewayOptions? gateway = null, Faasten.Worker.Hosting.WorkerOptions? worker = null)
    {
        var dir = new TempDirectory("faasten-gateway");
        var clock = new ManualTimeProvider();
        var logs = new LogCapture();
        ScriptedRunner? runner = null;
        var server = await FaastenServer.StartAsync(new FaastenServerOptions
        {
            DataDirectory = dir.Path,
            Listen = "127.0.0.1:0",
            Time = clock,
            Gateway = gateway ?? new GatewayOptions(),
            Worker = worker ?? new Faasten.Worker.Hosting.WorkerOptions { DrainTimeout = TimeSpan.FromSeconds(10) },
            Runner = fs => runner = new ScriptedRunner(fs),
            ConfigureLogging = logging =>
            {
                logging.ClearProviders();
                logging.SetMinimumLevel(LogLevel.Debug);
                logging.AddProvider(logs);
            },
        });
        var harness = new GatewayHarness(dir, server, clock, logs, runner!);
        Assert.True((await GatewayAdmin.AddUserAsync(server.Metadata, server.FileSystem, "alice", AlicePassword, default)).IsOk);
        Assert.True((await GatewayAdmin.AddUserAsync(server.Metadata, server.FileSystem, "bob", BobPassword, default)).IsOk);
        return harness;
    }

    public HttpClient Anonymous() => new(_handler, disposeHandler: false) { BaseAddress = Server.Address };

    public HttpClient WithToken(string token)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task<string> TokenAsync(string user)
    {
        using var client = Anonymous();
        var password = user == "alice" ? AlicePassword : BobPassword;
        using var response = await client.PostAsJsonAsync("/auth/login", new { user, password });
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("token").GetString()!;
    }

    public async Task<HttpClient> ClientAsync(string user) => WithToken(await TokenAsync(user));

    /// <summary>
    /// Stores a function image (the scripted runner's function name) in a public directory and
    /// returns its path: gates name their image by path (rule 8), never by hash.
    /// </summary>
    public async Task<string> ImageAsync(string function)
    {
        var super = new Faasten.Fs.SecurityContext(Faasten.Labels.Component.False);
        var created = await Server.FileSystem.CreateDirectoryAsync(super, "images", Faasten.Labels.Label.Public);
        Assert.True(created.IsOk || created.Status == Faasten.Fs.FsStatus.Exists, created.ToString());
        string hash;
        await using (var writer = Server.FileSystem.Blobs.BeginWrite())
        {
            // The SquashFS magic first: the gateway refuses a gate image that is no function image.
            await writer.WriteAsync(System.Text.Encoding.UTF8.GetBytes(ScriptedRunner.ImageMagic + function));
            hash = await writer.CommitAsync();
        }

        var path = $"images:{function}-{Guid.NewGuid():N}.img";
        var linked = await Server.FileSystem.LinkBlobAsync(super, path, hash, Faasten.Labels.Label.Public);
        Assert.True(linked.IsOk, linked.ToString());
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _handler.Dispose();
        _dir.Dispose();
    }
}

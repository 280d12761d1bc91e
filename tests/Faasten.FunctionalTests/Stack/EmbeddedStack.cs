using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Faasten.Gateway;
using Faasten.Gateway.Admin;
using Faasten.Hosting;
using Faasten.Sandbox.Bubblewrap;
using Faasten.Tests.Common;
using Faasten.Worker.Hosting;
using Microsoft.Extensions.Logging;

namespace Faasten.FunctionalTests.Stack;

/// <summary>
/// The whole embedded stack in this process, as <c>faasten serve</c> composes it: Kestrel on
/// 127.0.0.1:0, the gateway, the scheduler, the label-aware worker and real bubblewrap VMs
/// running Python, over SQLite and local blobs in a temp data directory. Users alice and bob.
/// </summary>
public sealed class EmbeddedStack : IAsyncLifetime
{
    public const string AlicePassword = "alice-functional-pw";
    public const string BobPassword = "bob-functional-pw";

    // Short: VM sockets live under the data and run directories, and a Unix socket path has 108 bytes.
    private readonly TempDirectory _dir = new("fst");
    private readonly SocketsHttpHandler _handler = new();
    private FaastenServer? _server;

    internal FaastenServer Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _server = await FaastenServer.StartAsync(new FaastenServerOptions
        {
            DataDirectory = _dir.Combine("data"),
            Listen = "127.0.0.1:0",
            Worker = new WorkerOptions { Slots = 4, ImageCacheDirectory = _dir.Combine("images"), DrainTimeout = TimeSpan.FromSeconds(20) },
            // Generous: test projects share two cores.
            Sandbox = new BubblewrapOptions { StartTimeout = TimeSpan.FromSeconds(60), RunDirectory = _dir.Combine("vms") },
            ConfigureLogging = logging => logging.SetMinimumLevel(LogLevel.Warning),
            OperatorListen = "127.0.0.1:0",
        });
        foreach (var (user, password) in new[] { ("alice", AlicePassword), ("bob", BobPassword) })
        {
            var added = await EmbeddedAdmin.AddUserAsync(Server.DataDirectory, user, password);
            Assert.True(added.IsOk, added.Message);
        }
    }

    public HttpClient Anonymous() => new(_handler, disposeHandler: false) { BaseAddress = Server.Address, Timeout = TimeSpan.FromMinutes(2) };

    /// <summary>Logs in over HTTP, as a client would.</summary>
    public async Task<HttpClient> LoginAsync(string user)
    {
        var client = Anonymous();
        using var response = await client.PostAsJsonAsync("/auth/login", new { user, password = user == "alice" ? AlicePassword : BobPassword });
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.RootElement.GetProperty("token").GetString());
        return client;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _handler.Dispose();
        _dir.Dispose();
    }
}

using System.Text.Json.Nodes;
using Faasten.Cli.Tests.Support;

namespace Faasten.Cli.Tests.Commands;

/// <summary>register = build + upload to ~:images + create or update the gate; idempotent.</summary>
public sealed class RegisterCommandTests : IAsyncLifetime
{
    private readonly TempHome _home = new();
    private readonly HashSet<string> _existing = new(StringComparer.Ordinal);
    private FakeGateway _gateway = null!;
    private TestConsole _console = new();
    private string _function = null!;

    public async Task InitializeAsync()
    {
        _gateway = await FakeGateway.StartAsync();
        _home.Variables["FSTN_SERVER"] = _gateway.Address;
        _function = Path.Combine(_home.Path, "gen-thumb");
        Directory.CreateDirectory(_function);
        await File.WriteAllTextAsync(Path.Combine(_function, "workload.py"), "def handle(event, cloudcall):\n    return {}\n");

        // A tiny model of the server: names exist once created, until deleted.
        _gateway.On("POST", "/fs/dir", request => Create(request.Query["path"]));
        _gateway.On("POST", "/fs/blob", request => _existing.Add(request.Query["path"])
            ? FakeGateway.Json(201, new JsonObject { ["hash"] = "hash-" + request.Body.Length, ["size"] = request.Body.Length })
            : FakeGateway.Error(409, "exists", "exists"));
        _gateway.On("DELETE", "/fs", request => _existing.Remove(request.Query["path"]) ? FakeGateway.Json(200, null) : FakeGateway.Error(404, "not_found", "no"));
        _gateway.On("POST", "/gates", request => Create((string)JsonNode.Parse(request.BodyText)!["path"]!));
        _gateway.On("PUT", "/gates", request => _existing.Contains((string)JsonNode.Parse(request.BodyText)!["path"]!)
            ? FakeGateway.Json(200, null)
            : FakeGateway.Error(404, "not_found", "no gate"));
    }

    [Fact]
    public async Task Register_First_BuildsUploadsAndCreatesGate()
    {
        Assert.Equal(0, await Register("--memory", "256", "--label", "alice,alice"));

        Assert.Equal("~:images", _gateway.Single("POST", "/fs/dir").Query["path"]);
        var blob = _gateway.Single("POST", "/fs/blob");
        Assert.Equal("~:images:gen-thumb.img", blob.Query["path"]);
        Assert.Equal("hsqs-fake-image", blob.BodyText);
        var gate = JsonNode.Parse(_gateway.Single("POST", "/gates").BodyText)!.AsObject();
        Assert.Equal("~:gen-thumb", (string?)gate["path"]);
        Assert.Equal("~:images:gen-thumb.img", (string?)gate["blob"]);
        Assert.Equal("alice", (string?)gate["privilege"]);
        Assert.Equal("alice", (string?)gate["clearance"]);
        Assert.Equal(256, (int?)gate["memory"]);
        Assert.Equal("alice,alice", (string?)gate["label"]);
        Assert.False(gate.ContainsKey("runtime")); // unset fields are left to the server's defaults
        Assert.StartsWith("registered gate ~:gen-thumb (privilege alice, clearance alice); image ~:images:gen-thumb.img", _console.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_Twice_ReplacesImageAndUpdatesTheOneGate()
    {
        Assert.Equal(0, await Register());
        _console = new TestConsole();

        Assert.Equal(0, await Register("--json"));

        Assert.Single(_gateway.Requests, r => r.Method == "DELETE" && r.Query["path"] == "~:images:gen-thumb.img");
        Assert.Equal(3, _gateway.Requests.Count(r => r.Method == "POST" && r.Path == "/fs/blob"));
        Assert.Single(_gateway.Requests, r => r.Method == "PUT" && r.Path == "/gates");
        var printed = JsonNode.Parse(_console.Out)!;
        Assert.False((bool?)printed["created"]);
        Assert.Equal("hash-15", (string?)printed["blob"]);
    }

    [Fact]
    public async Task Register_BuildFails_Exits2AndUploadsNothing()
    {
        var runner = new FstnRunner(_home, _console) { BuildImage = static (_, _, _) => Task.FromResult<string?>("mksquashfs not found") };

        Assert.Equal(2, await runner.RunAsync("register", _function, "~:gen-thumb", "--privilege", "alice", "--clearance", "alice"));

        Assert.Equal($"fstn: cannot build '{_function}': mksquashfs not found (build_failed){Environment.NewLine}", _console.Error);
        Assert.Empty(_gateway.Requests);
    }

    [Theory]
    [InlineData("no-such-dir", "~:f", "is not a directory")]
    [InlineData(null, "~", "must end with a name")]
    [InlineData(null, "home:<alice,alice>", "must end with a name")]
    public async Task Register_BadArguments_Exits2(string? directory, string path, string message)
    {
        var dir = directory is null ? _function : Path.Combine(_home.Path, directory);
        Assert.Equal(2, await new FstnRunner(_home, _console).RunAsync("register", dir, path, "--privilege", "alice", "--clearance", "alice"));
        Assert.Contains(message, _console.Error, StringComparison.Ordinal);
        Assert.Empty(_gateway.Requests);
    }

    [Fact]
    public async Task Register_NoWorkload_Exits2()
    {
        File.Delete(Path.Combine(_function, "workload.py"));
        Assert.Equal(2, await Register());
        Assert.Contains("has no workload.py", _console.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_PrivilegeDenied_Exits1()
    {
        _gateway.On("POST", "/gates", 403, new JsonObject { ["error"] = "privilege bob does not imply alice", ["code"] = "privilege_denied" });
        Assert.Equal(1, await Register());
        Assert.Equal($"fstn: privilege bob does not imply alice (privilege_denied){Environment.NewLine}", _console.Error);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        _home.Dispose();
    }

    private Microsoft.AspNetCore.Http.IResult Create(string path) =>
        _existing.Add(path) ? FakeGateway.Json(201, null) : FakeGateway.Error(409, "exists", $"'{path}' exists");

    private Task<int> Register(params string[] extra) =>
        new FstnRunner(_home, _console).RunAsync(["register", _function, "~:gen-thumb", "--privilege", "alice", "--clearance", "alice", .. extra]);
}

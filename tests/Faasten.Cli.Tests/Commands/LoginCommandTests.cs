using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using Faasten.Cli.Tests.Support;

namespace Faasten.Cli.Tests.Commands;

public sealed class LoginCommandTests : IAsyncLifetime
{
    private readonly TempHome _home = new();
    private FakeGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _gateway = await FakeGateway.StartAsync();
        _home.Variables["FSTN_SERVER"] = _gateway.Address;
        _gateway.On("POST", "/auth/login", request =>
        {
            var body = JsonNode.Parse(request.BodyText)!;
            return (string?)body["user"] == "alice" && (string?)body["password"] == "correct horse"
                ? FakeGateway.Json(200, new JsonObject { ["token"] = "tok-alice", ["privilege"] = "alice", ["expires"] = "2030-01-01T00:00:00+00:00" })
                : FakeGateway.Error(401, "unauthorized", "wrong user name or password");
        });
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task Login_PasswordOnStdin_SavesTokenPrivately()
    {
        var console = new TestConsole("correct horse\n");

        Assert.Equal(0, await new FstnRunner(_home, console).RunAsync("login", "--user", "alice"));

        Assert.Equal($"Logged in to {_gateway.Address} as alice (privilege alice); token saved in {_home.CredentialsPath}.{Environment.NewLine}", console.Out);
        Assert.Empty(console.Error);
        Assert.Null(_gateway.Single("POST", "/auth/login").Authorization);
        var saved = JsonNode.Parse(File.ReadAllText(_home.CredentialsPath))!;
        Assert.Equal(_gateway.Address, (string?)saved["server"]);
        Assert.Equal("tok-alice", (string?)saved["logins"]![_gateway.Address]!["token"]);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_home.CredentialsPath));
        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
            File.GetUnixFileMode(Path.GetDirectoryName(_home.CredentialsPath)!));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(_home.CredentialsPath)!, "*.tmp-*"));
    }

    [Fact]
    public async Task Login_WrongPassword_Exits4AndSavesNothing()
    {
        var console = new TestConsole("battery staple\n");

        Assert.Equal(4, await new FstnRunner(_home, console).RunAsync("login", "--user", "alice"));

        Assert.Equal($"fstn: wrong user name or password (unauthorized){Environment.NewLine}", console.Error);
        Assert.Empty(console.Out);
        Assert.False(File.Exists(_home.CredentialsPath));
    }

    [Fact]
    public async Task Login_Terminal_PromptsForUserAndPasswordWithoutEcho()
    {
        var console = new TestConsole(inputRedirected: false) { Line = "alice", Secret = "correct horse" };

        Assert.Equal(0, await new FstnRunner(_home, console).RunAsync("login"));

        Assert.Equal(["User: ", "Password for alice: "], console.Prompts);
    }

    [Fact]
    public async Task Login_NoUserAndStdinRedirected_Exits2()
    {
        var console = new TestConsole("correct horse\n");
        Assert.Equal(2, await new FstnRunner(_home, console).RunAsync("login"));
        Assert.StartsWith("fstn: --user is required when stdin is not a terminal (usage)", console.Error, StringComparison.Ordinal);
        Assert.Empty(_gateway.Requests);
    }

    [Fact]
    public async Task Login_EmptyStdin_Exits2()
    {
        var console = new TestConsole(string.Empty);
        Assert.Equal(2, await new FstnRunner(_home, console).RunAsync("login", "-u", "alice"));
        Assert.Contains("no password given", console.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_XdgConfigHome_IsHonored()
    {
        var xdg = Path.Combine(_home.Path, "xdg");
        _home.Variables["XDG_CONFIG_HOME"] = xdg;

        Assert.Equal(0, await new FstnRunner(_home, new TestConsole("correct horse\n")).RunAsync("login", "-u", "alice"));

        Assert.True(File.Exists(Path.Combine(xdg, "fstn", "credentials")));
        Assert.False(File.Exists(_home.CredentialsPath));
    }

    [Fact]
    public async Task Login_Json_PrintsIdentityButNotTheToken()
    {
        var console = new TestConsole("correct horse\n");

        Assert.Equal(0, await new FstnRunner(_home, console).RunAsync("login", "-u", "alice", "--json"));

        var printed = JsonNode.Parse(console.Out)!;
        Assert.Equal("alice", (string?)printed["user"]);
        Assert.Equal("alice", (string?)printed["privilege"]);
        Assert.DoesNotContain("tok-alice", console.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_ThenWhoami_SendsSavedToken()
    {
        _gateway.On("GET", "/auth/me", request => request.Authorization == "Bearer tok-alice"
            ? FakeGateway.Json(200, new JsonObject { ["user"] = "alice", ["privilege"] = "alice", ["expires"] = "2030-01-01T00:00:00+00:00" })
            : FakeGateway.Error(401, "unauthorized", "bad token"));
        Assert.Equal(0, await new FstnRunner(_home, new TestConsole("correct horse\n")).RunAsync("login", "-u", "alice"));
        var console = new TestConsole();

        Assert.Equal(0, await new FstnRunner(_home, console).RunAsync("whoami"));

        Assert.Equal($"alice (privilege alice) at {_gateway.Address}, token expires 2030-01-01T00:00:00+00:00{Environment.NewLine}", console.Out);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        _home.Dispose();
    }
}

using System.Text.Json.Nodes;
using Faasten.Cli.Config;
using Faasten.Cli.Tests.Support;

namespace Faasten.Cli.Tests.Config;

/// <summary>FSTN_SERVER and FSTN_TOKEN win over the saved login; a token never goes to another server.</summary>
public sealed class SettingsOverrideTests : IAsyncLifetime
{
    private readonly TempHome _home = new();
    private FakeGateway _saved = null!;
    private FakeGateway _other = null!;

    public async Task InitializeAsync()
    {
        _saved = await FakeGateway.StartAsync();
        _other = await FakeGateway.StartAsync();
        foreach (var gateway in new[] { _saved, _other })
        {
            gateway.On("GET", "/auth/me", _ => FakeGateway.Json(200, new JsonObject { ["user"] = null, ["privilege"] = "T" }));
        }
        var credentials = new CredentialsFile { Server = _saved.Address };
        credentials.Logins[_saved.Address] = new SavedLogin("tok-saved", "alice", "alice", null);
        new CredentialStore(Path.GetDirectoryName(_home.CredentialsPath)!).Save(credentials);
    }

    [Fact]
    public async Task Request_NoOverrides_GoesToSavedServerWithSavedToken()
    {
        Assert.Equal(0, await Whoami());
        Assert.Equal("Bearer tok-saved", _saved.Single("GET", "/auth/me").Authorization);
        Assert.Empty(_other.Requests);
    }

    [Fact]
    public async Task Request_TokenVariable_OverridesSavedToken()
    {
        _home.Variables["FSTN_TOKEN"] = "tok-env";
        Assert.Equal(0, await Whoami());
        Assert.Equal("Bearer tok-env", _saved.Single("GET", "/auth/me").Authorization);
    }

    [Fact]
    public async Task Request_ServerVariable_GoesThereWithoutTheOtherServersToken()
    {
        _home.Variables["FSTN_SERVER"] = _other.Address;
        Assert.Equal(0, await Whoami());
        Assert.Null(_other.Single("GET", "/auth/me").Authorization);
        Assert.Empty(_saved.Requests);
    }

    [Fact]
    public async Task Request_BothVariables_UseBoth()
    {
        _home.Variables["FSTN_SERVER"] = _other.Address + "/";
        _home.Variables["FSTN_TOKEN"] = "tok-env";
        Assert.Equal(0, await Whoami());
        Assert.Equal("Bearer tok-env", _other.Single("GET", "/auth/me").Authorization);
    }

    [Fact]
    public async Task Request_ExpiredSavedToken_Exits4AndSuggestsLogin()
    {
        _saved.On("GET", "/auth/me", _ => FakeGateway.Error(401, "unauthorized", "token expired"));
        var console = new TestConsole();

        Assert.Equal(4, await new FstnRunner(_home, console).RunAsync("whoami"));

        Assert.Equal($"fstn: token expired; run 'fstn login' (unauthorized){Environment.NewLine}", console.Error);
    }

    [Fact]
    public async Task Request_RejectedTokenVariable_PointsAtTheVariable()
    {
        _home.Variables["FSTN_TOKEN"] = "forged";
        _saved.On("GET", "/auth/me", 401, new JsonObject { ["error"] = "invalid token", ["code"] = "unauthorized" });
        var console = new TestConsole();

        Assert.Equal(4, await new FstnRunner(_home, console).RunAsync("whoami"));

        Assert.Equal($"fstn: invalid token; check FSTN_TOKEN (unauthorized){Environment.NewLine}", console.Error);
    }

    [Fact]
    public async Task Load_CorruptFile_WarnsAndUsesDefaults()
    {
        await File.WriteAllTextAsync(_home.CredentialsPath, "{not json");
        _home.Variables["FSTN_SERVER"] = _other.Address;
        var console = new TestConsole();

        Assert.Equal(0, await new FstnRunner(_home, console).RunAsync("whoami"));

        Assert.StartsWith("fstn: warning: ignoring unreadable credentials file", console.Error, StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        await _saved.DisposeAsync();
        await _other.DisposeAsync();
        _home.Dispose();
    }

    private Task<int> Whoami() => new FstnRunner(_home, new TestConsole()).RunAsync("whoami");
}

using System.Net;
using System.Net.Sockets;
using Faasten.Cli.Tests.Support;

namespace Faasten.Cli.Tests.Http;

/// <summary>No server: exit 3 and a line naming the address and the reason.</summary>
public sealed class UnreachableServerTests : IDisposable
{
    private readonly TempHome _home = new();
    private readonly TestConsole _console = new("secret\n");

    [Theory]
    [InlineData("whoami")]
    [InlineData("ls", "~")]
    [InlineData("login", "--user", "alice")]
    [InlineData("invoke", "~:f", "{}")]
    public async Task Command_ConnectionRefused_Exits3(params string[] args)
    {
        var address = $"http://127.0.0.1:{ClosedPort()}";
        _home.Variables["FSTN_SERVER"] = address;

        Assert.Equal(3, await new FstnRunner(_home, _console).RunAsync(args));

        Assert.Equal($"fstn: cannot reach the server at {address}: Connection refused (unreachable){Environment.NewLine}", _console.Error);
        Assert.Empty(_console.Out);
    }

    [Fact]
    public async Task Command_DefaultServer_IsLoopback8080()
    {
        // Whether or not something listens on 8080, the request must go there.
        await new FstnRunner(_home, _console).RunAsync("whoami");
        if (_console.Error.Length > 0)
        {
            Assert.Contains("http://127.0.0.1:8080", _console.Error, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("ftp://example.org")]
    [InlineData("http://host:port:bad")]
    public async Task Command_MalformedServerVariable_Exits2(string server)
    {
        _home.Variables["FSTN_SERVER"] = server;
        Assert.Equal(2, await new FstnRunner(_home, _console).RunAsync("whoami"));
        Assert.StartsWith("fstn: FSTN_SERVER is not an http(s) address", _console.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _home.Dispose();

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

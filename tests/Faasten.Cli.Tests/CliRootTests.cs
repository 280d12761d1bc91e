using Faasten.Cli.Tests.Support;

namespace Faasten.Cli.Tests;

/// <summary>Usage errors: exit 2 and one clear line each, before anything is sent.</summary>
public sealed class CliRootTests : IDisposable
{
    private readonly TempHome _home = new();
    private readonly TestConsole _console = new();

    public CliRootTests()
    {
        // Nothing listens here: a test that reached the network would fail with exit 3.
        _home.Variables["FSTN_SERVER"] = "http://127.0.0.1:1";
    }

    [Fact]
    public async Task Invoke_UnknownCommand_Exits2WithOneLine()
    {
        Assert.Equal(2, await Run("frobnicate"));
        Assert.StartsWith("fstn: Unrecognized command or argument 'frobnicate' (usage)", _console.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Required command", _console.Error, StringComparison.Ordinal);
        Assert.Empty(_console.Out);
    }

    [Theory]
    [InlineData("cat")]
    [InlineData("put", "photo.jpg")]
    [InlineData("ln", "~:a")]
    [InlineData("invoke")]
    [InlineData("register", "examples/gen-thumb", "~:gen-thumb", "--clearance", "alice")]
    public async Task Invoke_MissingArgument_Exits2(params string[] args)
    {
        Assert.Equal(2, await Run(args));
        Assert.Matches("^fstn: (Required argument missing|Option '--privilege' is required)", _console.Error);
        Assert.Contains("(usage)", _console.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_NoArguments_PrintsHelpAndExits2()
    {
        Assert.Equal(2, await Run());
        Assert.Contains("register", _console.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_Help_ListsEveryCommandOfTheContract()
    {
        Assert.Equal(0, await Run("--help"));
        foreach (var command in new[] { "login", "whoami", "ls", "cat", "put", "write", "mkdir", "mkfaceted", "rm", "ln", "build", "register", "invoke" })
        {
            Assert.Contains("  " + command + " ", _console.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Invoke_UsageErrorWithJson_PrintsJsonError()
    {
        Assert.Equal(2, await Run("frobnicate", "--json"));
        Assert.StartsWith("{\"error\":\"Unrecognized command or argument 'frobnicate'\",\"code\":\"usage\"}", _console.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _home.Dispose();

    private Task<int> Run(params string[] args) => new FstnRunner(_home, _console).RunAsync(args);
}

using Faasten.Cli.Tests.Support;

namespace Faasten.Cli.Tests.Commands;

/// <summary>Malformed labels are caught locally: exit 2, the offset named, nothing sent.</summary>
public sealed class LabelSyntaxTests : IAsyncLifetime
{
    private readonly TempHome _home = new();
    private readonly TestConsole _console = new();
    private FakeGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _gateway = await FakeGateway.StartAsync();
        _home.Variables["FSTN_SERVER"] = _gateway.Address;
    }

    [Theory]
    [InlineData("--label 'alice,,'", 6, "put", "/etc/hostname", "~:x", "--label", "alice,,")]
    [InlineData("--label 'alice'", 5, "mkdir", "~:x", "--label", "alice")]
    [InlineData("--label 'a|,T'", 2, "write", "~:x", "--label", "a|,T")]
    [InlineData("--label 'T,T,T'", 3, "invoke", "~:f", "{}", "--label", "T,T,T")]
    [InlineData("--clearance 'alice,&'", 6, "ls", "home", "--clearance", "alice,&")]
    [InlineData("--privilege 'alice,bob'", 5, "register", ".", "~:f", "--privilege", "alice,bob", "--clearance", "alice")]
    [InlineData("--clearance 'a||b'", 2, "register", ".", "~:f", "--privilege", "alice", "--clearance", "a||b")]
    public async Task Command_BadLabel_Exits2WithOffsetAndSendsNothing(string what, int offset, params string[] args)
    {
        Assert.Equal(2, await new FstnRunner(_home, _console).RunAsync(args));

        var line = Assert.Single(_console.Error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"fstn: {what} is not a valid ", line, StringComparison.Ordinal);
        Assert.Contains($"at offset {offset}:", line, StringComparison.Ordinal);
        Assert.EndsWith("(bad_label)", line, StringComparison.Ordinal);
        Assert.Empty(_gateway.Requests);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        _home.Dispose();
    }
}

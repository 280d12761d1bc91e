using System.CommandLine;
using Faasten.Host.Commands;

namespace Faasten.Host.Tests.Commands;

/// <summary>The command tree wiring: arguments and options reach the handlers, exit codes come back.</summary>
public class LabelCommandTests
{
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    [Theory]
    [InlineData(new[] { "label", "parse", "b|a,T" }, 0, "a|b,T")]
    [InlineData(new[] { "label", "parse", "--component", "b|a" }, 0, "a|b")]
    [InlineData(new[] { "label", "flows", "alice,T", "T,T" }, 1, "false")]
    [InlineData(new[] { "label", "flows", "alice,T", "T,T", "--privilege", "alice" }, 0, "true")]
    [InlineData(new[] { "label", "flows", "-p", "alice", "alice,T", "T,T" }, 0, "true")]
    [InlineData(new[] { "label", "lub", "alice,alice", "bob,bob" }, 0, "alice&bob,alice|bob")]
    [InlineData(new[] { "label", "glb", "alice,alice", "bob,bob" }, 0, "alice|bob,alice&bob")]
    [InlineData(new[] { "label", "downgrade", "alice&bob,T", "alice" }, 0, "bob,alice")]
    [InlineData(new[] { "label", "parse", "alice," }, 2, "")]
    public void Invoke_RunsHandler(string[] args, int exitCode, string printed)
    {
        Assert.Equal(exitCode, Invoke(args));
        Assert.Equal(printed, _output.ToString().Trim());
        Assert.Equal(exitCode == 2, _error.ToString().Length > 0);
    }

    [Fact]
    public void Invoke_Help_ListsSubcommands()
    {
        Assert.Equal(0, Invoke(["label", "--help"]));
        foreach (var name in new[] { "parse", "flows", "lub", "glb", "downgrade" })
        {
            Assert.Contains(name, _output.ToString(), StringComparison.Ordinal);
        }
    }

    private int Invoke(string[] args)
    {
        var root = new RootCommand { LabelCommand.Create() };
        return root.Parse(args).Invoke(new InvocationConfiguration { Output = _output, Error = _error });
    }
}

using Faasten.Host.Commands;

namespace Faasten.Host.Tests.Commands;

public class LabelFlowsCommandTests
{
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    [Theory]
    [InlineData("T,T", "alice,T", null, "true", 0)]
    [InlineData("alice,T", "T,T", null, "false", 1)]
    [InlineData("alice/pma,T", "alice,T", null, "true", 0)]
    [InlineData("alice,T", "T,T", "alice", "true", 0)]
    [InlineData("alice&bob,T", "T,T", "alice", "false", 1)]
    [InlineData("alice&bob,T", "bob,T", "alice", "true", 0)]
    [InlineData("F,T", "T,F", "F", "true", 0)]
    [InlineData("alice,T", "T,T", "T", "false", 1)]
    public void Run_PrintsResultAndExitCode(string from, string to, string? privilege, string printed, int code)
    {
        Assert.Equal(code, (int)LabelFlowsCommand.Run(_output, _error, from, to, privilege));
        Assert.Equal(printed + Environment.NewLine, _output.ToString());
        Assert.Empty(_error.ToString());
    }

    [Theory]
    [InlineData("alice,", "T,T", null, "from")]
    [InlineData("T,T", "alice", null, "to")]
    [InlineData("T,T", "T,T", "alice,bob", "privilege")]
    [InlineData("T,T", "T,T", "a|", "privilege")]
    public void Run_BadInput_NamesArgumentAndExits2(string from, string to, string? privilege, string name)
    {
        Assert.Equal(LabelExitCode.BadInput, LabelFlowsCommand.Run(_output, _error, from, to, privilege));
        Assert.Empty(_output.ToString());
        Assert.StartsWith($"error: {name}: Invalid label text at offset ", _error.ToString(), StringComparison.Ordinal);
    }
}

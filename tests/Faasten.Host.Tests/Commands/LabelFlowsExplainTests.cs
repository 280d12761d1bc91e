using Faasten.Host.Tests.Support;

namespace Faasten.Host.Tests.Commands;

/// <summary><c>faasten label flows A B --explain</c> through the executable.</summary>
public sealed class LabelFlowsExplainTests
{
    [Fact]
    public async Task FailingSecrecy_NamesTheClause()
    {
        var (exit, output, _) = await FaastenProcess.RunAsync(["label", "flows", "alice,T", "T,T", "--explain"]);

        Assert.Equal(1, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("false", lines[0]);
        Assert.StartsWith("secrecy: FROM's clause alice ", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailingIntegrity_WithPrivilege_NamesTheClause()
    {
        var (exit, output, _) = await FaastenProcess.RunAsync(["label", "flows", "T,T", "T,alice", "--privilege", "bob", "--explain"]);

        Assert.Equal(1, exit);
        Assert.Contains("integrity: TO's clause alice ", output, StringComparison.Ordinal);
        Assert.Contains("with the privilege", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Flowing_PrintsTrueAndNoReason()
    {
        var (exit, output, _) = await FaastenProcess.RunAsync(["label", "flows", "T,alice", "alice,T", "--explain"]);

        Assert.Equal(0, exit);
        Assert.Equal("true", output.Trim());
    }

    [Fact]
    public async Task BadLabel_Exits2_NamingTheArgument()
    {
        var (exit, _, error) = await FaastenProcess.RunAsync(["label", "flows", "alice,,T", "T,T", "--explain"]);

        Assert.Equal(2, exit);
        Assert.Contains("from", error, StringComparison.Ordinal);
    }
}

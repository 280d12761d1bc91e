using Faasten.Host.Commands;

namespace Faasten.Host.Tests.Commands;

/// <summary>lub, glb and downgrade: print the canonical result or exit 2.</summary>
public class LabelLatticeCommandTests
{
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    [Theory]
    [InlineData("alice,alice", "bob,bob", "alice&bob,alice|bob")]
    [InlineData("a&b,a&b", "c&d,c&d", "a&b&c&d,a|c&a|d&b|c&b|d")]
    [InlineData("F,T", "alice,alice", "F,T")]
    public void Lub_PrintsCanonicalJoin(string a, string b, string expected)
    {
        Assert.Equal(LabelExitCode.Success, LabelLatticeCommand.Lub(_output, _error, a, b));
        Assert.Equal(expected + Environment.NewLine, _output.ToString());
    }

    [Theory]
    [InlineData("alice,alice", "bob,bob", "alice|bob,alice&bob")]
    [InlineData("T,F", "alice,alice", "T,F")]
    public void Glb_PrintsCanonicalMeet(string a, string b, string expected)
    {
        Assert.Equal(LabelExitCode.Success, LabelLatticeCommand.Glb(_output, _error, a, b));
        Assert.Equal(expected + Environment.NewLine, _output.ToString());
    }

    [Fact]
    public void Glb_ResultPastTheLabelLimits_ExitsBadInputWithTheLimit()
    {
        var a = string.Join('&', Enumerable.Range(0, 20).Select(i => $"x{i}")) + ",T";
        var b = string.Join('&', Enumerable.Range(0, 20).Select(i => $"y{i}")) + ",T";

        Assert.Equal(LabelExitCode.BadInput, LabelLatticeCommand.Glb(_output, _error, a, b));

        Assert.Contains("LabelLimits.MaxClauseMerges", _error.ToString(), StringComparison.Ordinal);
        Assert.Empty(_output.ToString());
    }

    [Theory]
    [InlineData("alice&bob,carol", "alice", "bob,alice&carol")]
    [InlineData("alice/pma&bob,T", "alice", "bob,alice")]
    [InlineData("alice&bob,T", "F", "T,F")]
    [InlineData("alice,bob", "T", "alice,bob")]
    public void Downgrade_PrintsCanonicalResult(string label, string privilege, string expected)
    {
        Assert.Equal(LabelExitCode.Success, LabelDowngradeCommand.Run(_output, _error, label, privilege));
        Assert.Equal(expected + Environment.NewLine, _output.ToString());
    }

    [Fact]
    public void BadInput_Exits2WithoutOutput()
    {
        Assert.Equal(LabelExitCode.BadInput, LabelLatticeCommand.Lub(_output, _error, "alice", "T,T"));
        Assert.Equal(LabelExitCode.BadInput, LabelLatticeCommand.Glb(_output, _error, "T,T", "a&&b,T"));
        Assert.Equal(LabelExitCode.BadInput, LabelDowngradeCommand.Run(_output, _error, "T,T", "alice,"));
        Assert.Equal(LabelExitCode.BadInput, LabelDowngradeCommand.Run(_output, _error, "T", "alice"));
        Assert.Empty(_output.ToString());
        var errors = _error.ToString();
        Assert.Contains("error: a: ", errors, StringComparison.Ordinal);
        Assert.Contains("error: b: ", errors, StringComparison.Ordinal);
        Assert.Contains("error: privilege: ", errors, StringComparison.Ordinal);
        Assert.Contains("error: label: ", errors, StringComparison.Ordinal);
    }
}

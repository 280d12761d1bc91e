using Faasten.Host.Commands;

namespace Faasten.Host.Tests.Commands;

public class LabelParseCommandTests
{
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    [Theory]
    [InlineData(" bob | alice , alice/pma|alice ", "alice|bob,alice/pma")]
    [InlineData("Tom,T", "Tom,T")]
    [InlineData(@"a\,b,F", @"a\,b,F")]
    public void Run_ValidLabel_PrintsCanonicalForm(string text, string canonical)
    {
        Assert.Equal(LabelExitCode.Success, LabelParseCommand.Run(_output, _error, text, component: false));
        Assert.Equal(canonical + Environment.NewLine, _output.ToString());
        Assert.Empty(_error.ToString());
    }

    [Fact]
    public void Run_Component_PrintsCanonicalComponent()
    {
        Assert.Equal(LabelExitCode.Success, LabelParseCommand.Run(_output, _error, "zed & alice|alice/pma", component: true));
        Assert.Equal("alice/pma&zed" + Environment.NewLine, _output.ToString());
    }

    [Theory]
    [InlineData("alice,", 6)]
    [InlineData("", 0)]
    [InlineData("a||b,T", 2)]
    [InlineData("alice,bob,carol", 9)]
    [InlineData(@"alice,bob\", 10)]
    public void Run_Malformed_ReportsOffsetAndExits2(string text, int offset)
    {
        Assert.Equal(LabelExitCode.BadInput, LabelParseCommand.Run(_output, _error, text, component: false));
        Assert.Empty(_output.ToString());
        var lines = _error.ToString().Split(Environment.NewLine);
        Assert.StartsWith($"error: label: Invalid label text at offset {offset}: expected ", lines[0], StringComparison.Ordinal);
        Assert.Equal("  " + text, lines[1]);
        Assert.Equal(new string(' ', offset + 2) + "^", lines[2]);
    }

    [Fact]
    public void Run_ComponentWithComma_Exits2()
    {
        Assert.Equal(LabelExitCode.BadInput, LabelParseCommand.Run(_output, _error, "alice,bob", component: true));
        Assert.Contains("offset 5", _error.ToString(), StringComparison.Ordinal);
    }
}

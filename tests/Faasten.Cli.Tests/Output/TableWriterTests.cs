using Faasten.Cli.Output;

namespace Faasten.Cli.Tests.Output;

public class TableWriterTests
{
    [Fact]
    public void Write_AlignsColumnsWithoutWrappingOrTrailingSpaces()
    {
        var output = new StringWriter();
        var longName = new string('x', 300);

        TableWriter.Write(output, [["blob", "[not markup]"], ["directory", longName]]);

        Assert.Equal($"blob       [not markup]{Environment.NewLine}directory  {longName}{Environment.NewLine}", output.ToString());
    }

    [Fact]
    public void Write_NoRows_WritesNothing()
    {
        var output = new StringWriter();
        TableWriter.Write(output, []);
        Assert.Empty(output.ToString());
    }
}

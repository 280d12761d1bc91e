using Faasten.Sandbox.Kernel;

namespace Faasten.Sandbox.Tests.Kernel;

public sealed class UrlTemplateTests
{
    [Theory]
    [InlineData("http://h/{a}/x?b={b}", "http://h/1%2F2/x?b=%3F%26", null)]
    [InlineData("http://h/plain", "http://h/plain", null)]
    [InlineData("http://h/{a", "http://h/{a", null)]
    [InlineData("http://h/{c}", null, "c")]
    public void Fill_EscapesValuesAndReportsMissing(string template, string? expected, string? missing)
    {
        var values = new Dictionary<string, string> { ["a"] = "1/2", ["b"] = "?&" };
        Assert.Equal(expected, UrlTemplate.Fill(template, values, out var gap));
        Assert.Equal(missing, gap);
    }
}

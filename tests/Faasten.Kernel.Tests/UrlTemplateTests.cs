using Faasten.Kernel;

namespace Faasten.Kernel.Tests;

public sealed class UrlTemplateTests
{
    [Theory]
    [InlineData("http://h/{a}/x?b={b}", "http://h/1%2F2/x?b=%3F%26", null)]
    [InlineData("http://h/plain", "http://h/plain", null)]
    [InlineData("http://h/{a", "http://h/{a", null)]
    [InlineData("http://h/{c}", null, "needs the parameter 'c'")]
    [InlineData("http://h/x?q={dots}#{dot}", "http://h/x?q=..#.", null)]
    [InlineData("http://h/{encoded}", "http://h/%252e%252e%2F%3F%23", null)]
    public void Fill_EscapesValuesAndReportsMissing(string template, string? expected, string? problem)
    {
        var values = new Dictionary<string, string> { ["a"] = "1/2", ["b"] = "?&", ["dots"] = "..", ["dot"] = ".", ["encoded"] = "%2e%2e/?#" };
        Assert.Equal(expected, UrlTemplate.Fill(template, values, out var reported));
        Assert.Equal(problem, reported);
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("")]
    public void Fill_DotOrEmptyPathSegment_IsRefused(string value)
    {
        var url = UrlTemplate.Fill("http://h/api/{name}/x?q={name}", new Dictionary<string, string> { ["name"] = value }, out var problem);

        Assert.Null(url);
        Assert.Equal($"refuses '{value}' as the parameter 'name': a path segment may not be empty, '.' or '..'", problem);
    }
}

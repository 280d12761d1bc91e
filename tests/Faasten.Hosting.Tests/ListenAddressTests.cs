namespace Faasten.Hosting.Tests;

public sealed class ListenAddressTests
{
    [Theory]
    [InlineData("127.0.0.1:8080", "127.0.0.1:8080")]
    [InlineData("0.0.0.0:0", "0.0.0.0:0")]
    [InlineData("[::1]:9000", "[::1]:9000")]
    [InlineData("localhost:8081", "127.0.0.1:8081")]
    public void TryParse_Valid(string text, string expected)
    {
        Assert.True(ListenAddress.TryParse(text, out var endpoint, out _));
        Assert.Equal(expected, endpoint.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("8080")]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("127.0.0.1:99999")]
    [InlineData("example.com:80")]
    [InlineData("127.0.0.1:-1")]
    public void TryParse_Invalid_SaysWhy(string text)
    {
        Assert.False(ListenAddress.TryParse(text, out _, out var error));
        Assert.Contains("HOST:PORT", error, StringComparison.Ordinal);
    }
}

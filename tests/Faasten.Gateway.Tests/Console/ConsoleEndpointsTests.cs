using System.Net;
using Faasten.Gateway.Console;
using Faasten.Gateway.Tests.TestSupport;

namespace Faasten.Gateway.Tests.Console;

/// <summary>The console's files: compiled in, served at / and /console/{name}, outside the API.</summary>
public sealed class ConsoleEndpointsTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly GatewayHarness _h = fixture.Harness;

    [Fact]
    public void Assets_AreCompiledIn_WithTheirContentTypes()
    {
        Assert.Contains("index.html", ConsoleAssets.Embedded.Names);
        Assert.Contains("app.js", ConsoleAssets.Embedded.Names);
        Assert.Contains("labels.js", ConsoleAssets.Embedded.Names);
        Assert.True(ConsoleAssets.Embedded.TryGet("style.css", out var css));
        Assert.Equal("text/css; charset=utf-8", css.ContentType);
        Assert.False(ConsoleAssets.Embedded.TryGet("../Faasten.Gateway.dll", out _));
    }

    [Fact]
    public async Task Root_ServesThePage_HeadAndGet_WithThePolicy()
    {
        using var client = _h.Anonymous();
        using var page = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<script type=\"module\" src=\"/console/app.js\"></script>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(ConsoleHeaders.ContentSecurityPolicy, page.Headers.GetValues("Content-Security-Policy").Single());

        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/console/app.js"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("/console/")]
    [InlineData("/console/nope.js")]
    [InlineData("/console/..%2Fapp.js")]
    [InlineData("/console/sub/app.js")]
    public async Task UnknownFiles_Are404Json(string route)
    {
        using var client = _h.Anonymous();
        using var response = await client.GetAsync(route);
        await response.AssertErrorAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Theory]
    [InlineData("/fs/file?path=" + "home%3A%3CT%2Calice%3E%3Apage.html")]
    [InlineData("/auth/me")]
    [InlineData("/no-such-route")]
    public async Task ApiAnswers_AreNeverPages(string route)
    {
        using var alice = await _h.ClientAsync("alice");
        using (var created = await alice.PostAsync("/fs/file?path=home%3A%3CT%2Calice%3E%3Apage.html", new StringContent("<script>alert(1)</script>")))
        {
            Assert.True(created.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict);
        }

        using var anonymous = _h.Anonymous();
        using var response = await anonymous.GetAsync(route);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(ConsoleHeaders.ApiPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task Console_WritesNothing_AndIsNotInTheApiDocument()
    {
        using var client = _h.Anonymous();
        using var post = await client.PostAsync("/", new StringContent("x"));
        await post.AssertErrorAsync(HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        var openApi = await client.GetStringAsync("/openapi.json");
        Assert.DoesNotContain("\"/console/", openApi, StringComparison.Ordinal);
        Assert.DoesNotContain("\"/\":", openApi, StringComparison.Ordinal);
    }
}

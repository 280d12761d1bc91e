using System.Net;
using System.Text;
using Faasten.Gateway.Tests.TestSupport;
using static Faasten.Gateway.Tests.TestSupport.HttpHelpers;

namespace Faasten.Gateway.Tests.Http;

/// <summary>Bad input of every kind gets a clear 4xx with a JSON error, never a 500.</summary>
public sealed class MalformedInputTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly GatewayHarness _h = fixture.Harness;

    [Theory]
    [InlineData("/auth/login", "{\"user\": ")]
    [InlineData("/auth/login", "not json")]
    [InlineData("/auth/login", "[1,2]")]
    [InlineData("/auth/login", "null")]
    [InlineData("/auth/login", "")]
    [InlineData("/auth/login", "{\"user\": 5, \"password\": \"x\"}")]
    [InlineData("/auth/login", "{\"user\": \"alice\", \"password\": \"x\", \"extra\": 1}")]
    [InlineData("/invoke", "{\"path\": \"a\", \"payload\": {\"unterminated\": }")]
    [InlineData("/invoke", "{\"path\": \"a\", \"sync\": \"yes\"}")]
    [InlineData("/gates", "{\"path\": [] }")]
    [InlineData("/fs/link", "{\"source\": \"a\" \"destination\": \"b\"}")]
    [InlineData("/fs/trigger", "\u00ff\u00fe")]
    public async Task BadJson_Is400(string route, string body)
    {
        using var client = _h.Anonymous();
        using var response = await client.PostAsync(route, JsonText(body));
        var message = await response.AssertErrorAsync(HttpStatusCode.BadRequest, "bad_json");
        Assert.DoesNotContain("Faasten.Gateway", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadJson_MessageSaysWhere()
    {
        using var client = _h.Anonymous();
        using var response = await client.PostAsync("/auth/login", JsonText("{\"user\": \"alice\",\n \"password\": tru }"));
        var message = await response.AssertErrorAsync(HttpStatusCode.BadRequest, "bad_json");
        Assert.Contains("line 2", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingField_Is400_NamingIt()
    {
        using var client = _h.Anonymous();
        using var response = await client.PostAsync("/auth/login", JsonText("{\"user\": \"alice\"}"));
        Assert.Contains("'password'", await response.AssertErrorAsync(HttpStatusCode.BadRequest, "bad_request"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/fs/dir?path=home:<T,alice>:x&label=alice,,T")]
    [InlineData("/fs/dir?path=home:<T,alice>:x&label=alice")]
    [InlineData("/fs/dir?path=home:<T,alice>:x&label=a|,T")]
    [InlineData("/fs/file?path=home:<T,alice>:x&label=T,T,T")]
    [InlineData("/fs/blob?path=home:<T,alice>:x&label=%26,T")]
    public async Task BadLabelInQuery_Is400_WithOffset(string route)
    {
        using var client = await _h.ClientAsync("alice");
        using var response = await client.PostAsync(route.Replace("<", "%3C", StringComparison.Ordinal).Replace(">", "%3E", StringComparison.Ordinal).Replace("|", "%7C", StringComparison.Ordinal), new ByteArrayContent([]));
        Assert.Contains("offset", await response.AssertErrorAsync(HttpStatusCode.BadRequest, "bad_label"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadLabelInBody_Is400_WithOffsetAndField()
    {
        using var client = _h.Anonymous();
        using var response = await client.PostAsync("/invoke", JsonText("{\"path\": \"x\", \"label\": \"alice,bob,carol\"}"));
        var message = await response.AssertErrorAsync(HttpStatusCode.BadRequest, "bad_label");
        Assert.Contains("'label'", message, StringComparison.Ordinal);
        Assert.Contains("offset 9", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadComponentInBody_Is400()
    {
        using var client = _h.Anonymous();
        using var response = await client.PostAsync("/auth/delegate", JsonText("{\"privilege\": \"alice||bob\"}"));
        Assert.Contains("offset", await response.AssertErrorAsync(HttpStatusCode.BadRequest, "bad_label"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadLabelHeader_Is400()
    {
        using var client = _h.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/fs/list?path=");
        request.Headers.Add("Faasten-Label", "T,T,");
        using var response = await client.SendAsync(request);
        Assert.Contains("offset", await response.AssertErrorAsync(HttpStatusCode.BadRequest, "bad_label"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("home:<alice")]
    [InlineData("a::b")]
    [InlineData("home:~")]
    [InlineData("home:<T,T,T>")]
    public async Task BadPath_Is400(string path)
    {
        using var client = _h.Anonymous();
        using var response = await client.GetAsync($"/fs/list?path={Q(path)}");
        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "bad_path");
    }

    [Fact]
    public async Task MissingPath_Is400()
    {
        using var client = _h.Anonymous();
        Assert.Contains("'path'", await (await client.GetAsync("/fs/list")).AssertErrorAsync(HttpStatusCode.BadRequest, "bad_path"), StringComparison.Ordinal);
        await (await client.GetAsync("/fs/list?path=a&path=b")).AssertErrorAsync(HttpStatusCode.BadRequest, "bad_request");
    }

    [Fact]
    public async Task HugeJsonBody_Is413()
    {
        using var client = _h.Anonymous();
        var huge = "{\"path\": \"x\", \"payload\": \"" + new string('a', 2 * 1024 * 1024) + "\"}";
        using var response = await client.PostAsync("/invoke", JsonText(huge));
        await response.AssertErrorAsync(HttpStatusCode.RequestEntityTooLarge, "too_large");
    }

    [Fact]
    public async Task HugeChunkedJsonBody_Is413()
    {
        using var client = _h.Anonymous();
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"path\": \"" + new string('a', 1100 * 1024) + "\"}")));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/invoke") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await client.SendAsync(request);
        await response.AssertErrorAsync(HttpStatusCode.RequestEntityTooLarge, "too_large");
    }

    [Fact]
    public async Task FileLargerThanTheFileLimit_Is413()
    {
        using var client = await _h.ClientAsync("alice");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/fs/file?path={Q("home:<T,alice>:big")}") { Content = new ByteArrayContent(new byte[(4 * 1024 * 1024) + 1]) };
        request.Headers.ExpectContinue = true;
        using var response = await client.SendAsync(request);
        await response.AssertErrorAsync(HttpStatusCode.RequestEntityTooLarge, "too_large");
    }

    [Fact]
    public async Task DeclaredHugeBody_Is413_BeforeTheBodyIsSent()
    {
        // A raw client that declares 100 MB and sends none of it: the answer must not wait for the body.
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(_h.Server.Address.Host, _h.Server.Address.Port);
        await using var stream = tcp.GetStream();
        var head = $"POST /invoke HTTP/1.1\r\nHost: {_h.Server.Address.Authority}\r\nContent-Type: application/json\r\nContent-Length: 100000000\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var status = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("HTTP/1.1 413 Payload Too Large", status);
    }

    [Theory]
    [InlineData("PUT", "/auth/login")]
    [InlineData("GET", "/invoke")]
    [InlineData("DELETE", "/gates")]
    [InlineData("PATCH", "/fs/file?path=x")]
    [InlineData("POST", "/fs/list?path=")]
    [InlineData("POST", "/invocations/abc")]
    public async Task WrongMethod_Is405(string method, string route)
    {
        using var client = _h.Anonymous();
        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), route));
        await response.AssertErrorAsync(HttpStatusCode.MethodNotAllowed, "method_not_allowed");
    }

    [Theory]
    [InlineData("/nope")]
    [InlineData("/fs/nope")]
    [InlineData("/auth")]
    public async Task UnknownRoute_Is404(string route)
    {
        using var client = _h.Anonymous();
        await (await client.GetAsync(route)).AssertErrorAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task WrongKinds_Are400_Not500()
    {
        using var client = await _h.ClientAsync("alice");
        await (await client.GetAsync($"/fs/file?path={Q("home:<T,alice>")}")).AssertErrorAsync(HttpStatusCode.BadRequest, "bad_request");
        await (await client.GetAsync($"/fs/facets?path={Q("home:<T,alice>")}")).AssertErrorAsync(HttpStatusCode.BadRequest, "bad_request");
        await (await client.GetAsync($"/fs/blob?path={Q("home")}")).AssertErrorAsync(HttpStatusCode.BadRequest, "bad_request");
    }

    [Fact]
    public async Task GateWithBadLimitsOrMissingImage_Is4xx()
    {
        using var client = await _h.ClientAsync("alice");
        var image = await _h.ImageAsync("echo");
        var path = "home:<T,alice>:g-" + Guid.NewGuid().ToString("N")[..6];
        await (await client.PostAsync("/gates", JsonText($"{{\"path\": \"{path}\", \"blob\": \"{image}\", \"privilege\": \"alice\", \"clearance\": \"T\", \"memory\": 1}}"))).AssertErrorAsync(HttpStatusCode.BadRequest, "bad_request");
        await (await client.PostAsync("/gates", JsonText($"{{\"path\": \"{path}\", \"blob\": \"~:images:missing.img\", \"privilege\": \"alice\", \"clearance\": \"T\"}}"))).AssertErrorAsync(HttpStatusCode.NotFound, "not_found");
        await (await client.PostAsync("/gates", JsonText($"{{\"path\": \"{path}\", \"blob\": \"home:<unclosed\", \"privilege\": \"alice\", \"clearance\": \"T\"}}"))).AssertErrorAsync(HttpStatusCode.BadRequest, "bad_path");
        await (await client.PostAsync("/gates", JsonText($"{{\"path\": \"{path}\", \"blob\": \"home:<T,alice>\", \"privilege\": \"alice\", \"clearance\": \"T\"}}"))).AssertErrorAsync(HttpStatusCode.BadRequest, "bad_request");
    }

    [Fact]
    public async Task OpenApiDocument_IsServed()
    {
        using var client = _h.Anonymous();
        using var response = await client.GetAsync("/openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var doc = await response.JsonAsync();
        var paths = doc.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        foreach (var route in new[] { "/auth/login", "/auth/me", "/auth/delegate", "/invoke", "/invocations/{id}", "/gates", "/fs/stat", "/fs/list", "/fs/facets", "/fs/file", "/fs/dir", "/fs/faceted", "/fs/blob", "/fs/link", "/fs", "/fs/service", "/fs/trigger", "/hooks/{path}" })
        {
            Assert.Contains(route, paths);
        }

        var readFile = doc.GetProperty("paths").GetProperty("/fs/file").GetProperty("get");
        Assert.Contains(readFile.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "path" && p.GetProperty("in").GetString() == "query");
        Assert.True(doc.GetProperty("paths").GetProperty("/auth/me").GetProperty("get").GetProperty("responses").TryGetProperty("401", out _));
        Assert.True(doc.GetProperty("paths").GetProperty("/invoke").GetProperty("post").TryGetProperty("requestBody", out _));
    }

    [Fact]
    public void NothingEverFailedWithA500()
    {
        Assert.DoesNotContain("Unhandled exception", _h.Logs.All, StringComparison.Ordinal);
    }
}

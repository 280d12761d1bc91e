using System.Net;
using System.Net.Http.Json;
using Faasten.Gateway.Tests.TestSupport;

namespace Faasten.Gateway.Tests.Auth;

public sealed class AuthApiTests : IAsyncLifetime
{
    private GatewayHarness _h = null!;

    public async Task InitializeAsync() => _h = await GatewayHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Login_RightPassword_ReturnsTokenForUserPrincipal()
    {
        using var client = _h.Anonymous();
        using var response = await client.PostAsJsonAsync("/auth/login", new { user = "alice", password = GatewayHarness.AlicePassword });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("alice", body.GetProperty("privilege").GetString());
        Assert.Equal(_h.Clock.GetUtcNow().AddHours(1), body.GetProperty("expires").GetDateTimeOffset());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("token").GetString()));
    }

    [Theory]
    [InlineData("alice", "wrong")]
    [InlineData("nobody", "whatever")]
    [InlineData("bad name!", "whatever")]
    public async Task Login_WrongUserOrPassword_Is401(string user, string password)
    {
        using var client = _h.Anonymous();
        using var response = await client.PostAsJsonAsync("/auth/login", new { user, password });
        Assert.Equal("wrong user name or password", await response.AssertErrorAsync(HttpStatusCode.Unauthorized, "unauthorized"));
    }

    [Fact]
    public async Task Login_NeverLogsThePassword()
    {
        using var client = _h.Anonymous();
        (await client.PostAsJsonAsync("/auth/login", new { user = "alice", password = "hunter2-typo" })).Dispose();
        (await client.PostAsJsonAsync("/auth/login", new { user = "alice", password = GatewayHarness.AlicePassword })).Dispose();
        Assert.DoesNotContain("hunter2-typo", _h.Logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain(GatewayHarness.AlicePassword, _h.Logs.All, StringComparison.Ordinal);
        Assert.Contains("Failed login for alice", _h.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Me_WithToken_ReturnsUserAndPrivilege()
    {
        using var client = await _h.ClientAsync("bob");
        var body = await (await client.GetAsync("/auth/me")).JsonAsync();
        Assert.Equal("bob", body.GetProperty("user").GetString());
        Assert.Equal("bob", body.GetProperty("privilege").GetString());
        Assert.Equal(_h.Clock.GetUtcNow().AddHours(1), body.GetProperty("expires").GetDateTimeOffset());
    }

    [Fact]
    public async Task Me_WithoutToken_IsAnonymousWithPrivilegeT()
    {
        using var client = _h.Anonymous();
        using var response = await client.GetAsync("/auth/me");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("user").ValueKind);
        Assert.Equal("T", body.GetProperty("privilege").GetString());
        Assert.Equal("T,T", response.Headers.GetValues("Faasten-Label").Single());
    }

    [Fact]
    public async Task Delegate_SubPrivilege_IssuesWorkingToken()
    {
        using var alice = await _h.ClientAsync("alice");
        using var response = await alice.PostAsJsonAsync("/auth/delegate", new { privilege = "alice/pma", ttl = 60 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("alice/pma", body.GetProperty("privilege").GetString());
        Assert.Equal(_h.Clock.GetUtcNow().AddSeconds(60), body.GetProperty("expires").GetDateTimeOffset());

        using var delegated = _h.WithToken(body.GetProperty("token").GetString()!);
        var me = await (await delegated.GetAsync("/auth/me")).JsonAsync();
        Assert.Equal("alice", me.GetProperty("user").GetString());
        Assert.Equal("alice/pma", me.GetProperty("privilege").GetString());
    }

    [Fact]
    public async Task Delegate_NeverOutlivesTheParentToken()
    {
        using var alice = await _h.ClientAsync("alice");
        var body = await (await alice.PostAsJsonAsync("/auth/delegate", new { privilege = "alice/x", ttl = 7 * 24 * 3600 })).JsonAsync();
        Assert.Equal(_h.Clock.GetUtcNow().AddHours(1), body.GetProperty("expires").GetDateTimeOffset());
    }

    [Theory]
    [InlineData("bob", "alice")]
    [InlineData("alice", "alice&bob")]
    [InlineData("alice", "F")]
    public async Task Delegate_PrivilegeTheCallerLacks_Is403(string user, string privilege)
    {
        using var client = await _h.ClientAsync(user);
        using var response = await client.PostAsJsonAsync("/auth/delegate", new { privilege });
        await response.AssertErrorAsync(HttpStatusCode.Forbidden, "privilege_denied");
    }

    [Fact]
    public async Task Delegate_SubPrivilegeCannotClimbBack()
    {
        using var alice = await _h.ClientAsync("alice");
        var token = (await (await alice.PostAsJsonAsync("/auth/delegate", new { privilege = "alice/pma" })).JsonAsync()).GetProperty("token").GetString()!;
        using var pma = _h.WithToken(token);
        using var response = await pma.PostAsJsonAsync("/auth/delegate", new { privilege = "alice" });
        await response.AssertErrorAsync(HttpStatusCode.Forbidden, "privilege_denied");
    }

    [Fact]
    public async Task ExpiredToken_Is401_NotAnonymous()
    {
        var token = await _h.TokenAsync("alice");
        _h.Clock.Advance(TimeSpan.FromHours(1));
        using var client = _h.WithToken(token);
        using var response = await client.GetAsync("/auth/me");
        Assert.Contains("expired", await response.AssertErrorAsync(HttpStatusCode.Unauthorized, "unauthorized"), StringComparison.Ordinal);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task TokenJustBeforeExpiry_IsAccepted()
    {
        var token = await _h.TokenAsync("alice");
        _h.Clock.Advance(TimeSpan.FromHours(1) - TimeSpan.FromSeconds(1));
        using var client = _h.WithToken(token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/auth/me")).StatusCode);
    }

    [Fact]
    public async Task ForgedSignature_Is401()
    {
        var token = await _h.TokenAsync("bob");
        // Re-sign bob's claims with privilege alice under a key the server never saw.
        var parts = token.Split('.');
        var payload = System.Text.Encoding.UTF8.GetString(Base64UrlDecode(parts[1])).Replace("\"fpriv\":\"bob\"", "\"fpriv\":\"alice\"", StringComparison.Ordinal);
        var forgedBody = parts[0] + "." + Base64UrlEncode(System.Text.Encoding.UTF8.GetBytes(payload));
        var signature = System.Security.Cryptography.HMACSHA256.HashData(new byte[64], System.Text.Encoding.ASCII.GetBytes(forgedBody));
        using var client = _h.WithToken(forgedBody + "." + Base64UrlEncode(signature));
        await (await client.GetAsync("/auth/me")).AssertErrorAsync(HttpStatusCode.Unauthorized, "unauthorized");

        // Same claims, original signature: the signature no longer matches.
        using var tampered = _h.WithToken(forgedBody + "." + parts[2]);
        await (await tampered.GetAsync("/auth/me")).AssertErrorAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task UnsignedAlgNoneToken_Is401()
    {
        var header = Base64UrlEncode("{\"alg\":\"none\",\"typ\":\"JWT\"}"u8.ToArray());
        var exp = _h.Clock.GetUtcNow().AddHours(1).ToUnixTimeSeconds();
        var payload = Base64UrlEncode(System.Text.Encoding.UTF8.GetBytes($"{{\"iss\":\"faasten\",\"aud\":\"faasten\",\"sub\":\"alice\",\"fpriv\":\"F\",\"exp\":{exp}}}"));
        using var client = _h.WithToken(header + "." + payload + ".");
        await (await client.GetAsync("/auth/me")).AssertErrorAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Theory]
    [InlineData("Bearer garbage")]
    [InlineData("Bearer a.b.c")]
    [InlineData("Basic YWxpY2U6cHc=")]
    [InlineData("Bearer ")]
    public async Task MalformedAuthorization_Is401(string header)
    {
        using var client = _h.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/auth/me");
        request.Headers.TryAddWithoutValidation("Authorization", header);
        using var response = await client.SendAsync(request);
        await response.AssertErrorAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task BadToken_IsRejectedOnEveryRoute_EvenUnknownOnes()
    {
        using var client = _h.WithToken("garbage");
        await (await client.GetAsync("/fs/list?path=")).AssertErrorAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await client.GetAsync("/no/such/route")).AssertErrorAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] Base64UrlDecode(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s + new string('=', (4 - (s.Length % 4)) % 4));
    }
}

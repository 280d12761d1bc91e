using System.Net;
using System.Net.Http.Json;
using Faasten.Gateway.Tests.TestSupport;
using static Faasten.Gateway.Tests.TestSupport.HttpHelpers;

namespace Faasten.Gateway.Tests.Http;

/// <summary>
/// The denial stories: whatever route bob uses, nothing labeled alice reaches him — not her
/// data, not her names, not even whether a name exists (DESIGN §3 rule 7).
/// </summary>
public sealed class DenialTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>, IAsyncLifetime
{
    private const string Private = "home:<alice,alice>";
    private const string Secret = "ALICE-PRIVATE-DIARY-CONTENT";
    private readonly GatewayHarness _h = fixture.Harness;
    private readonly string _dir = "d" + Guid.NewGuid().ToString("N")[..8];
    private HttpClient _alice = null!;
    private HttpClient _bob = null!;

    private string Dir => $"{Private}:{_dir}";

    public async Task InitializeAsync()
    {
        _alice = await _h.ClientAsync("alice");
        _bob = await _h.ClientAsync("bob");
        Assert.Equal(HttpStatusCode.Created, (await _alice.PostAsync($"/fs/dir?path={Q(Dir)}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await _alice.PostAsync($"/fs/file?path={Q(Dir + ":diary-entry")}", new StringContent(Secret))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await _alice.PostAsync($"/fs/blob?path={Q(Dir + ":photo-of-alice")}", new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes("JPEG" + Secret)))).StatusCode);
    }

    public Task DisposeAsync()
    {
        _alice.Dispose();
        _bob.Dispose();
        return Task.CompletedTask;
    }

    public static TheoryData<string> ReadRoutes => new()
    {
        "/fs/file?path={0}:diary-entry",
        "/fs/blob?path={0}:photo-of-alice",
        "/fs/stat?path={0}:photo-of-alice",
        "/fs/stat?path={0}:diary-entry",
        "/fs/list?path={0}",
        "/fs/list?path={0}&limit=1",
        "/fs/list?path={0}&limit=1&cursor=ZGlhcnktZW50cnk",
        "/fs/stat?path={0}:no-such-name",
        "/fs/file?path={0}:no-such-name",
        "/fs/list?path={0}:no-such-dir",
        "/fs/facets?path={0}:diary-entry",
    };

    [Theory]
    [MemberData(nameof(ReadRoutes))]
    public async Task Bob_CannotReadAnythingOfAlice_AllWithheld(string route)
    {
        using var response = await _bob.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, route, Q(Dir)));
        var body = await response.AssertWithheldAsync();
        AssertRevealsNothing(body);
    }

    [Theory]
    [MemberData(nameof(ReadRoutes))]
    public async Task Anonymous_CannotReadAnythingOfAlice_AllWithheld(string route)
    {
        using var anonymous = _h.Anonymous();
        using var response = await anonymous.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, route, Q(Dir)));
        AssertRevealsNothing(await response.AssertWithheldAsync());
    }

    [Fact]
    public async Task Alice_ReadsHerOwnData_WithTheLabelHeader()
    {
        using var file = await _alice.GetAsync($"/fs/file?path={Q(Dir + ":diary-entry")}");
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal(Secret, await file.Content.ReadAsStringAsync());
        Assert.Equal("alice,alice", file.Headers.GetValues("Faasten-Label").Single());

        var list = await (await _alice.GetAsync($"/fs/list?path={Q(Dir)}")).JsonAsync();
        var names = list.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("name").GetString() + "/" + e.GetProperty("kind").GetString()).Order().ToArray();
        Assert.Equal(["diary-entry/file", "photo-of-alice/blob"], names);

        var stat = await (await _alice.GetAsync($"/fs/stat?path={Q(Dir + ":photo-of-alice")}")).JsonAsync();
        Assert.Equal("blob", stat.GetProperty("kind").GetString());

        // Alice may learn that a name does not exist in her own directory.
        await (await _alice.GetAsync($"/fs/stat?path={Q(Dir + ":no-such-name")}")).AssertErrorAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Bob_WritingIntoAlicesPublicFacet_IsLabelDenied()
    {
        using var response = await _bob.PostAsync($"/fs/file?path={Q("home:<T,alice>:graffiti-" + _dir)}", new StringContent("bob was here"));
        await response.AssertErrorAsync(HttpStatusCode.Forbidden, "label_denied");
        using var dir = await _bob.PostAsync($"/fs/dir?path={Q("home:<T,alice>:bobdir-" + _dir)}", null);
        await dir.AssertErrorAsync(HttpStatusCode.Forbidden, "label_denied");
        using var blob = await _bob.PostAsync($"/fs/blob?path={Q("home:<T,alice>:bobblob-" + _dir)}", new ByteArrayContent([1, 2, 3]));
        await blob.AssertErrorAsync(HttpStatusCode.Forbidden, "label_denied");
    }

    [Fact]
    public async Task Bob_WritingIntoAlicesPrivateFacet_IsWithheld_NotEvenDenied()
    {
        // Denying would already tell bob what lies on the path; the answer itself is labeled alice.
        using var write = await _bob.PutAsync($"/fs/file?path={Q(Dir + ":diary-entry")}", new StringContent("overwritten"));
        AssertRevealsNothing(await write.AssertWithheldAsync());
        using var delete = await _bob.DeleteAsync($"/fs?path={Q(Dir + ":diary-entry")}");
        AssertRevealsNothing(await delete.AssertWithheldAsync());
        Assert.Equal(Secret, await (await _alice.GetAsync($"/fs/file?path={Q(Dir + ":diary-entry")}")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Bob_CannotOverwriteOrUnlinkWhatAliceCreatedInHerPublicFacet()
    {
        // Created without a label, by a request that starts endorsed by alice (T,alice): only alice writes it.
        var path = "home:<T,alice>:readme-" + _dir;
        Assert.Equal(HttpStatusCode.Created, (await _alice.PostAsync($"/fs/file?path={Q(path)}", new StringContent("alice's words"))).StatusCode);
        Assert.Equal("T,alice", (await (await _bob.GetAsync($"/fs/stat?path={Q(path)}")).JsonAsync()).GetProperty("label").GetString());
        Assert.Equal("alice's words", await _bob.GetStringAsync($"/fs/file?path={Q(path)}"));
        await (await _bob.PutAsync($"/fs/file?path={Q(path)}", new StringContent("defaced"))).AssertErrorAsync(HttpStatusCode.Forbidden, "label_denied");
        await (await _bob.DeleteAsync($"/fs?path={Q(path)}")).AssertErrorAsync(HttpStatusCode.Forbidden, "label_denied");
        Assert.Equal("alice's words", await _bob.GetStringAsync($"/fs/file?path={Q(path)}"));
    }

    [Fact]
    public async Task Bob_CannotHardLinkAlicesFileIntoHisHome()
    {
        using var response = await _bob.PostAsJsonAsync("/fs/link", new { source = Dir + ":diary-entry", destination = "home:<bob,bob>:stolen-" + _dir });
        AssertRevealsNothing(await response.AssertWithheldAsync());
    }

    [Fact]
    public async Task Bob_CannotCreateAGateWithAlicesPrivilege()
    {
        var image = await _h.ImageAsync("echo");
        using var response = await _bob.PostAsJsonAsync("/gates", new { path = "home:<T,bob>:impostor-" + _dir, blob = image, privilege = "alice", clearance = "T" });
        await response.AssertErrorAsync(HttpStatusCode.Forbidden, "privilege_denied");
        using var declassify = await _bob.PostAsJsonAsync("/gates", new { path = "home:<T,bob>:impostor2-" + _dir, blob = image, privilege = "bob", clearance = "T", declassify = "alice" });
        await declassify.AssertErrorAsync(HttpStatusCode.Forbidden, "privilege_denied");
    }

    [Fact]
    public async Task Bob_CannotCreateTriggerOrServiceWithAlicesPrivilege()
    {
        using var trigger = await _bob.PostAsJsonAsync("/fs/trigger", new { path = "home:<T,bob>:t-" + _dir, secret = "s", gate = "home:<T,bob>:g", privilege = "alice", payloadLabel = "T,T" });
        await trigger.AssertErrorAsync(HttpStatusCode.Forbidden, "privilege_denied");
        using var service = await _bob.PostAsJsonAsync("/fs/service", new { path = "home:<T,bob>:s-" + _dir, url = "https://example.com/", verb = "GET", taint = "T,T", privilege = "alice", clearance = "T" });
        await service.AssertErrorAsync(HttpStatusCode.Forbidden, "privilege_denied");
    }

    [Fact]
    public async Task Bob_ListsHomeFacets_SeesOnlyThoseHeMayRead()
    {
        var facets = await (await _bob.GetAsync("/fs/facets?path=home")).JsonAsync();
        var visible = facets.GetProperty("facets").EnumerateArray().Select(f => f.GetString()).ToArray();
        Assert.Contains("T,alice", visible);
        Assert.Contains("T,bob", visible);
        Assert.Contains("bob,bob", visible);
        Assert.DoesNotContain("alice,alice", visible);

        using var anonymous = _h.Anonymous();
        var publicOnly = (await (await anonymous.GetAsync("/fs/facets?path=home")).JsonAsync()).GetProperty("facets").EnumerateArray().Select(f => f.GetString()).ToArray();
        Assert.Contains("T,alice", publicOnly);
        Assert.DoesNotContain("bob,bob", publicOnly);

        // Asking with a clearance above his label taints the answer: it is withheld.
        using var high = await _bob.GetAsync($"/fs/facets?path=home&clearance={Q("alice,alice")}");
        await high.AssertWithheldAsync();
    }

    [Theory]
    [InlineData("bob", "alice,alice")]
    [InlineData("bob", "T,alice")]
    [InlineData(null, "T,alice")]
    [InlineData(null, "bob,T")]
    public async Task RequestLabelBeyondThePrivilege_IsLabelDenied(string? user, string label)
    {
        using var client = user is null ? _h.Anonymous() : await _h.ClientAsync(user);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/fs/file?path={Q(Dir + ":diary-entry")}");
        request.Headers.Add("Faasten-Label", label);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        await response.AssertErrorAsync(HttpStatusCode.Forbidden, "label_denied");
        Assert.DoesNotContain(Secret, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alice_WithRaisedRequestLabel_CreatesObjectsAtThatLabel()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/fs/dir?path={Q("home:<T,alice>:raised-" + _dir)}");
        request.Headers.Add("Faasten-Label", "alice,alice");
        using var response = await _alice.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var stat = await (await _alice.GetAsync($"/fs/stat?path={Q("home:<T,alice>:raised-" + _dir)}")).JsonAsync();
        Assert.Equal("alice,alice", stat.GetProperty("label").GetString());
        // Bob may see the name in alice's public facet, but not into the directory.
        await (await _bob.GetAsync($"/fs/list?path={Q("home:<T,alice>:raised-" + _dir)}")).AssertWithheldAsync();
    }

    [Fact]
    public void Logs_NeverContainAlicesData()
    {
        Assert.DoesNotContain(Secret, _h.Logs.All, StringComparison.Ordinal);
    }

    private void AssertRevealsNothing(string body)
    {
        Assert.DoesNotContain(Secret, body, StringComparison.Ordinal);
        Assert.DoesNotContain("diary", body, StringComparison.Ordinal);
        Assert.DoesNotContain("photo", body, StringComparison.Ordinal);
        Assert.DoesNotContain("no-such", body, StringComparison.Ordinal);
        Assert.DoesNotContain(_dir, body, StringComparison.Ordinal);
        Assert.DoesNotContain("alice", body, StringComparison.Ordinal);
    }
}

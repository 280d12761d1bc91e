using System.Net;
using System.Net.Http.Json;
using Faasten.Gateway.Tests.TestSupport;
using static Faasten.Gateway.Tests.TestSupport.HttpHelpers;

namespace Faasten.Gateway.Tests.Fs;

/// <summary>The file-system routes doing their job for the owner.</summary>
public sealed class FsApiTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly GatewayHarness _h = fixture.Harness;
    private readonly string _root = "home:<alice,alice>:t" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task CreateWriteReadLinkDelete_RoundTrip()
    {
        using var alice = await _h.ClientAsync("alice");
        Assert.Equal(HttpStatusCode.Created, (await alice.PostAsync($"/fs/dir?path={Q(_root)}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await alice.PostAsync($"/fs/file?path={Q(_root + ":notes")}", new StringContent("v1"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await alice.PutAsync($"/fs/file?path={Q(_root + ":notes")}", new StringContent("v2"))).StatusCode);
        Assert.Equal("v2", await alice.GetStringAsync($"/fs/file?path={Q(_root + ":notes")}"));

        Assert.Equal(HttpStatusCode.Created, (await alice.PostAsJsonAsync("/fs/link", new { source = _root + ":notes", destination = _root + ":alias" })).StatusCode);
        Assert.Equal("v2", await alice.GetStringAsync($"/fs/file?path={Q(_root + ":alias")}"));

        Assert.Equal(HttpStatusCode.OK, (await alice.DeleteAsync($"/fs?path={Q(_root + ":notes")}")).StatusCode);
        await (await alice.GetAsync($"/fs/file?path={Q(_root + ":notes")}")).AssertErrorAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Equal("v2", await alice.GetStringAsync($"/fs/file?path={Q(_root + ":alias")}"));
        await (await alice.PostAsync($"/fs/dir?path={Q(_root)}", null)).AssertErrorAsync(HttpStatusCode.Conflict, "exists");
    }

    [Fact]
    public async Task List_Paged_FollowsOpaqueCursorsToTheLastPage()
    {
        using var alice = await _h.ClientAsync("alice");
        Assert.Equal(HttpStatusCode.Created, (await alice.PostAsync($"/fs/dir?path={Q(_root)}", null)).StatusCode);
        foreach (var name in new[] { "c", "a", "b", "d é" })
        {
            Assert.Equal(HttpStatusCode.Created, (await alice.PostAsync($"/fs/file?path={Q(_root + ":" + name)}", new StringContent(name))).StatusCode);
        }

        var names = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await (await alice.GetAsync($"/fs/list?path={Q(_root)}&limit=3" + (cursor is null ? "" : $"&cursor={Q(cursor)}"))).JsonAsync();
            names.AddRange(page.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("name").GetString()!));
            cursor = page.TryGetProperty("next", out var next) && next.ValueKind == System.Text.Json.JsonValueKind.String ? next.GetString() : null;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(["a", "b", "c", "d é"], names);
        Assert.Equal(2, pages);
    }

    [Theory]
    [InlineData("limit=0", "'limit'")]
    [InlineData("limit=1001", "'limit'")]
    [InlineData("limit=ten", "'limit'")]
    [InlineData("cursor=%21%21", "'cursor'")]
    [InlineData("cursor=YTpi", "cursor")]
    public async Task List_BadPageArguments_AreBadRequests(string query, string named)
    {
        using var alice = await _h.ClientAsync("alice");
        var message = await (await alice.GetAsync($"/fs/list?path={Q("~")}&{query}")).AssertErrorAsync(HttpStatusCode.BadRequest, "bad_request");
        Assert.Contains(named, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FacetedDirectory_CreateAndList()
    {
        using var alice = await _h.ClientAsync("alice");
        var faceted = _root + "-faceted";
        Assert.Equal(HttpStatusCode.Created, (await alice.PostAsync($"/fs/faceted?path={Q(faceted)}", null)).StatusCode);
        var stat = await (await alice.GetAsync($"/fs/stat?path={Q(faceted)}")).JsonAsync();
        Assert.Equal("faceted_directory", stat.GetProperty("kind").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, stat.GetProperty("label").ValueKind);
        var facets = await (await alice.GetAsync($"/fs/facets?path={Q(faceted)}&clearance={Q("alice,T")}")).JsonAsync();
        Assert.Empty(facets.GetProperty("facets").EnumerateArray());
    }

    [Fact]
    public async Task TildeIsTheCallersHome()
    {
        using var bob = await _h.ClientAsync("bob");
        Assert.Equal(HttpStatusCode.Created, (await bob.PostAsync($"/fs/file?path={Q("~:tilde-" + _root[^8..])}", new StringContent("mine"))).StatusCode);
        Assert.Equal("mine", await bob.GetStringAsync($"/fs/file?path={Q("home:<bob,bob>:tilde-" + _root[^8..])}"));
    }

    [Fact]
    public async Task ServiceAndTrigger_AreCreated()
    {
        using var alice = await _h.ClientAsync("alice");
        using var service = await alice.PostAsJsonAsync("/fs/service", new { path = _root + "-svc", url = "https://api.example.com/{user}", verb = "post", headers = new Dictionary<string, string> { ["Authorization"] = "token xyz" }, taint = "alice,T", privilege = "alice", clearance = "alice" });
        Assert.Equal(HttpStatusCode.Created, service.StatusCode);
        using var trigger = await alice.PostAsJsonAsync("/fs/trigger", new { path = "home:<T,alice>:hook-" + _root[^8..], secret = "s3cret", gate = "home:<T,alice>:g", privilege = "alice", payloadLabel = "alice,T" });
        Assert.Equal(HttpStatusCode.Created, trigger.StatusCode);
        var stat = await (await alice.GetAsync($"/fs/stat?path={Q(_root + "-svc")}")).JsonAsync();
        Assert.Equal("service", stat.GetProperty("kind").GetString());
        await (await alice.PostAsJsonAsync("/fs/service", new { path = _root + "-svc2", url = "ftp://x", verb = "GET", taint = "T,T", privilege = "alice", clearance = "T" })).AssertErrorAsync(HttpStatusCode.BadRequest, "bad_request");
    }
}

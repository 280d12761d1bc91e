using System.Net;
using System.Net.Http.Headers;
using Faasten.Gateway.Admin;
using Faasten.Gateway.Tests.TestSupport;
using Faasten.Hosting;
using Faasten.Tests.Common;

namespace Faasten.Gateway.Tests.Admin;

public sealed class GatewayAdminTests
{
    [Fact]
    public async Task AddUser_CreatesUserAndHomeFacets_OnceOnly()
    {
        using var dir = new TempDirectory("faasten-admin");
        var added = await EmbeddedAdmin.AddUserAsync(dir.Path, "carol", "pw");
        Assert.Equal(AdminStatus.Ok, added.Status);
        Assert.Equal(AdminStatus.Exists, (await EmbeddedAdmin.AddUserAsync(dir.Path, "carol", "pw2")).Status);
        Assert.Equal(AdminStatus.BadInput, (await EmbeddedAdmin.AddUserAsync(dir.Path, "bad/name", "pw")).Status);
        Assert.Equal(AdminStatus.BadInput, (await EmbeddedAdmin.AddUserAsync(dir.Path, "dave", "")).Status);
    }

    [Fact]
    public async Task Token_ForUnknownUserOrBadInput_Fails()
    {
        using var dir = new TempDirectory("faasten-admin");
        Assert.Equal(AdminStatus.NotFound, (await EmbeddedAdmin.IssueTokenAsync(dir.Path, "nobody", null, null)).Status);
        await EmbeddedAdmin.AddUserAsync(dir.Path, "carol", "pw");
        Assert.Equal(AdminStatus.BadInput, (await EmbeddedAdmin.IssueTokenAsync(dir.Path, "carol", "carol||x", null)).Status);
        Assert.Equal(AdminStatus.BadInput, (await EmbeddedAdmin.IssueTokenAsync(dir.Path, "carol", null, 0)).Status);
    }

    [Fact]
    public async Task AdminToken_IsAcceptedByARunningServer_OnTheSameDataDirectory()
    {
        await using var h = await GatewayHarness.StartAsync();
        var added = await EmbeddedAdmin.AddUserAsync(h.Server.DataDirectory, "carol", "carol-pw");
        Assert.True(added.IsOk, added.Message);
        var issued = await EmbeddedAdmin.IssueTokenAsync(h.Server.DataDirectory, "carol", "carol/ci", 600, time: h.Clock);
        Assert.True(issued.IsOk, issued.Message);

        using var client = h.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", issued.Token);
        using var me = await client.GetAsync("/auth/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal("carol/ci", (await me.JsonAsync()).GetProperty("privilege").GetString());

        // The password set by useradd logs in; the facets exist: carol lists her private home.
        using var login = await client.PostAsync("/auth/login", HttpHelpers.JsonText("{\"user\":\"carol\",\"password\":\"carol-pw\"}"));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        using var carol = h.WithToken((await login.JsonAsync()).GetProperty("token").GetString()!);
        var facets = await (await carol.GetAsync("/fs/facets?path=home&clearance=" + Uri.EscapeDataString("carol,T"))).JsonAsync();
        Assert.Contains("carol,carol", facets.GetProperty("facets").EnumerateArray().Select(f => f.GetString()));
    }
}

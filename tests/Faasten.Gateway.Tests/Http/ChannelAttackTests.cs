using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Faasten.Gateway.Tests.TestSupport;
using static Faasten.Gateway.Tests.TestSupport.HttpHelpers;

namespace Faasten.Gateway.Tests.Http;

/// <summary>
/// Issue 12's HTTP probes, each as the attack: bob asks the API something whose answer would
/// depend on alice's secret, and compares answers for the two possible secrets.
/// </summary>
public sealed class ChannelAttackTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>, IAsyncLifetime
{
    private readonly GatewayHarness _h = fixture.Harness;
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private HttpClient _alice = null!;
    private HttpClient _bob = null!;

    public async Task InitializeAsync()
    {
        _alice = await _h.ClientAsync("alice");
        _bob = await _h.ClientAsync("bob");
    }

    public Task DisposeAsync()
    {
        _alice.Dispose();
        _bob.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Item 2: alice voted privately; the content "vote=yes" sits in the blob store. Bob names
    /// both candidate hashes as a gate image: 409-versus-404 used to tell which one exists.
    /// Gates now name their image by path, and both answers are identical.
    /// </summary>
    [Fact]
    public async Task Attack_ProbingBlobExistenceThroughPostGates_LearnsNothing()
    {
        var vote = $"vote=yes {_run}";
        using (var uploaded = await _alice.PostAsync($"/fs/blob?path={Q($"home:<alice,alice>:vote-{_run}")}", new StringContent(vote)))
        {
            Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        }

        var answers = new List<string>();
        foreach (var candidate in new[] { vote, $"vote=no {_run}" })
        {
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(candidate)));
            using var response = await _bob.PostAsJsonAsync("/gates", new { path = $"home:<T,bob>:probe-{_run}", blob = hash, privilege = "bob", clearance = "T" });
            answers.Add($"{(int)response.StatusCode} {(await response.Content.ReadAsStringAsync()).Replace(hash, "H", StringComparison.Ordinal)}");
        }

        Assert.StartsWith("404", answers[0], StringComparison.Ordinal);
        Assert.Equal(answers[0], answers[1]);
    }

    /// <summary>Item 2: bob names alice's private image by path: what he gets back is withheld, like any of her objects.</summary>
    [Fact]
    public async Task Attack_AGateOverAlicesPrivateImage_IsWithheld_AndNotCreated()
    {
        using (var uploaded = await _alice.PostAsync($"/fs/blob?path={Q($"home:<alice,alice>:app-{_run}.img")}", new StringContent("alice's function")))
        {
            Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        }

        var existing = await _bob.PostAsJsonAsync("/gates", new { path = $"home:<T,bob>:stolen-{_run}", blob = $"home:<alice,alice>:app-{_run}.img", privilege = "bob", clearance = "T" });
        var missing = await _bob.PostAsJsonAsync("/gates", new { path = $"home:<T,bob>:stolen-{_run}", blob = $"home:<alice,alice>:none-{_run}.img", privilege = "bob", clearance = "T" });

        Assert.Equal(await existing.AssertWithheldAsync(), await missing.AssertWithheldAsync());
        using var stat = await _bob.GetAsync($"/fs/stat?path={Q($"home:<T,bob>:stolen-{_run}")}");
        Assert.Equal(HttpStatusCode.NotFound, stat.StatusCode);
    }

    /// <summary>
    /// Item 3: bob's app materialized facet &lt;alice,bob/b1&gt; for a 1-bit and left &lt;alice,bob/b0&gt;
    /// unwritten. POST /fs/link with a facet as source answered 409 for one and 404 "was never
    /// written" for the other. Now both get the same refusal.
    /// </summary>
    [Fact]
    public async Task Attack_LinkingFromWrittenAndUnwrittenFacets_AnswersAlike()
    {
        var written = $"home:<alice,bob/{_run}1>";
        var unwritten = $"home:<alice,bob/{_run}0>";
        using (var dir = await _bob.PostAsync($"/fs/dir?path={Q($"home:<T,bob>:probe-{_run}")}&label={Q("T,bob")}", null))
        {
            Assert.Equal(HttpStatusCode.Created, dir.StatusCode);
        }

        // In the attack bob's app, run by alice, stored the facet; here the superuser does.
        Assert.True((await _h.Server.FileSystem.CreateFacetAsync(new Faasten.Fs.SecurityContext(Faasten.Labels.Component.False), written)).IsOk);

        var answers = new List<string>();
        foreach (var facet in new[] { written, unwritten })
        {
            using var response = await _bob.PostAsJsonAsync("/fs/link", new { source = facet, destination = $"home:<T,bob>:probe-{_run}" });
            var body = await response.Content.ReadAsStringAsync();
            answers.Add($"{(int)response.StatusCode} {body.Replace(_run + "1", "F", StringComparison.Ordinal).Replace(_run + "0", "F", StringComparison.Ordinal)}");
        }

        Assert.StartsWith("400", answers[0], StringComparison.Ordinal);
        Assert.Equal(answers[0], answers[1]);
    }

    /// <summary>Item 1: bob's service with taint alice,T is refused, so no app of his can send alice's data to his server.</summary>
    [Fact]
    public async Task Attack_AServiceTaintedWithAlicesSecrecy_IsRefused()
    {
        using var response = await _bob.PostAsJsonAsync("/fs/service", new
        {
            path = $"home:<T,bob>:exfil-{_run}",
            url = "http://127.0.0.1:9/collect",
            verb = "POST",
            taint = "alice,T",
            privilege = "bob",
            clearance = "T",
        });

        await response.AssertErrorAsync(HttpStatusCode.Forbidden, "privilege_denied");
        using var stat = await _bob.GetAsync($"/fs/stat?path={Q($"home:<T,bob>:exfil-{_run}")}");
        Assert.Equal(HttpStatusCode.NotFound, stat.StatusCode);
    }

    [Theory]
    [InlineData("GET\r\nX-Injected: 1", "X-Ok", "v")]
    [InlineData("POST", "X-Ok", "v\r\nX-Injected: 1")]
    [InlineData("POST", "Bad Name", "v")]
    public async Task AServiceWithABadVerbOrHeader_IsRefusedAtCreation(string verb, string header, string value)
    {
        using var response = await _bob.PostAsJsonAsync("/fs/service", new
        {
            path = $"home:<T,bob>:svc-{_run}",
            url = "http://127.0.0.1:9/collect",
            verb,
            headers = new Dictionary<string, string> { [header] = value },
            taint = "bob,T",
            privilege = "bob",
            clearance = "T",
        });

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "bad_request");
    }

    [Fact]
    public async Task AServiceHeaderWithoutAValue_IsBadRequest_NotACrash()
    {
        using var response = await _bob.PostAsync("/fs/service", new StringContent(
            $$"""{"path": "home:<T,bob>:nullhdr-{{_run}}", "url": "http://127.0.0.1:9/x", "headers": {"X": null}, "taint": "bob,T", "privilege": "bob", "clearance": "T"}""",
            Encoding.UTF8,
            "application/json"));

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "bad_request");
    }
}

using System.Net;
using System.Net.Http.Json;
using Faasten.Gateway.Tests.TestSupport;
using Faasten.Labels;
using static Faasten.Gateway.Tests.TestSupport.HttpHelpers;

namespace Faasten.Gateway.Tests.Http;

/// <summary>
/// Issue 12 item 7 at the gateway: one anonymous request with a 149 KB label cost seconds of CPU.
/// Oversize label text is refused with 400 naming the limit; a computation whose label would
/// outgrow the limits gets 400 <c>label_too_large</c>, not a 500 or a hang.
/// </summary>
public sealed class LabelLimitTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly GatewayHarness _h = fixture.Harness;

    private static string Conjunction(string prefix, int clauses) =>
        string.Join('&', Enumerable.Range(0, clauses).Select(i => $"{prefix}{i}"));

    [Fact]
    public async Task PostGates_149KbLabel_Is400NamingTheLimit()
    {
        using var client = _h.Anonymous();
        var huge = Conjunction("user", 20_000) + ",T";
        Assert.True(huge.Length > 140_000);

        using var response = await client.PostAsJsonAsync("/gates", new { path = "home:<T,T>:g", blob = "home:<T,alice>:img", privilege = "T", clearance = "T", label = huge });

        var message = await response.AssertErrorAsync(HttpStatusCode.BadRequest, "bad_label");
        Assert.Contains("'label'", message, StringComparison.Ordinal);
        Assert.Contains("LabelLimits.MaxTextLength", message, StringComparison.Ordinal);
        Assert.True(message.Length < 1000, "the error quotes the label");
    }

    [Fact]
    public async Task LabelHeader_OverTheTextLimit_Is400NamingTheLimit()
    {
        using var client = _h.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/fs/list?path=");
        // Over the label limit, under Kestrel's header limit, so the gateway's parser answers.
        request.Headers.Add("Faasten-Label", Conjunction("u", 2_000) + ",T");

        using var response = await client.SendAsync(request);

        var message = await response.AssertErrorAsync(HttpStatusCode.BadRequest, "bad_label");
        Assert.Contains("Faasten-Label", message, StringComparison.Ordinal);
        Assert.Contains("LabelLimits.MaxTextLength", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LabelHeader_OverTheClauseLimit_Is400NamingTheLimit()
    {
        using var client = _h.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/fs/list?path=");
        request.Headers.Add("Faasten-Label", Conjunction("u", LabelLimits.Default.MaxClauses + 1) + ",T");

        using var response = await client.SendAsync(request);

        Assert.Contains("LabelLimits.MaxClauses", await response.AssertErrorAsync(HttpStatusCode.BadRequest, "bad_label"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadingAFileWhoseLabelWouldOutgrowTheSecrecy_FailsClosed_Withheld()
    {
        var half = LabelLimits.Default.MaxClauses / 2 + 1;
        var file = $"home:<T,alice>:wide-{Guid.NewGuid():N}";
        using var alice = await _h.ClientAsync("alice");
        var fileLabel = Conjunction("alice/x", half) + ",alice";
        using (var created = await alice.PostAsync($"/fs/file?path={Q(file)}&label={Q(fileLabel)}", new ByteArrayContent("secret"u8.ToArray())))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        // Alice's own request label, within her authority, whose secrecy joined with the file's
        // is more clauses than a component may hold.
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/fs/file?path={Q(file)}");
        request.Headers.Add("Faasten-Label", Conjunction("alice/y", half) + ",alice");
        using var response = await alice.SendAsync(request);

        // The computation fails closed at the top label, so even its error is withheld.
        var body = await response.AssertWithheldAsync();
        Assert.DoesNotContain("secret", body, StringComparison.Ordinal);
        Assert.DoesNotContain("clauses", body, StringComparison.Ordinal);
    }
}

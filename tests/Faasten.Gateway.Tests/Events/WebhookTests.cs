using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Faasten.Gateway.Events;
using Faasten.Gateway.Tests.TestSupport;
using Faasten.Protocol.Labels;
using static Faasten.Gateway.Tests.TestSupport.HttpHelpers;

namespace Faasten.Gateway.Tests.Events;

/// <summary>The event server: only correctly signed deliveries run anything.</summary>
public sealed class WebhookTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>, IAsyncLifetime
{
    private const string Secret = "webhook-shared-secret";
    private const string Body = "{\"ref\":\"refs/heads/main\",\"commits\":[{\"id\":\"abc\"}]}";
    private readonly GatewayHarness _h = fixture.Harness;
    private readonly string _id = Guid.NewGuid().ToString("N")[..8];

    // Names may hold '/' and '%': the route must decode the raw target itself.
    private string TriggerPath => $"home:<T,alice>:gh/hook%{_id}";

    private string GatePath => $"home:<T,alice>:hook-gate-{_id}";

    public async Task InitializeAsync()
    {
        using var alice = await _h.ClientAsync("alice");
        var image = await _h.ImageAsync("echo");
        // The gate runs as alice/echo, which cannot declassify alice: results of alice-labeled events stay alice's.
        (await alice.PostAsJsonAsync("/gates", new { path = GatePath, blob = image, privilege = "alice/echo", clearance = "alice" })).EnsureSuccessStatusCode();
        (await alice.PostAsJsonAsync("/fs/trigger", new { path = TriggerPath, secret = Secret, gate = GatePath, privilege = "alice", payloadLabel = "alice,alice" })).EnsureSuccessStatusCode();
        (await alice.PostAsJsonAsync("/fs/trigger", new { path = $"home:<alice,alice>:private-hook-{_id}", secret = Secret, gate = GatePath, privilege = "alice", payloadLabel = "alice,alice" })).EnsureSuccessStatusCode();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task SignedDelivery_SubmitsInvocation_WithTriggersPrivilegeAndLabel()
    {
        using var response = await DeliverAsync(TriggerPath, Body, HubSignature.Sign(Secret, Encoding.UTF8.GetBytes(Body)), "push", $"delivery-{_id}");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.JsonAsync()).GetProperty("id").GetString()!;

        // The function ran; its result is alice's: she reads it, bob and anonymous are refused.
        using var alice = await _h.ClientAsync("alice");
        var result = await InvocationPolling.WaitAsync(alice, id);
        Assert.Equal(HttpStatusCode.OK, result.StatusCode);
        Assert.Equal("push", (await result.JsonAsync()).GetProperty("event").GetString());
        var request = Assert.Single(_h.Runner.Received, r => r.Id == id);
        Assert.Equal("alice", request.InvokerPrivilege.ToString());
        Assert.Equal("alice,alice", request.PayloadLabel.ToString());
        Assert.Equal(GatePath, request.GatePath);
        Assert.False(request.Sync);
        using var payload = JsonDocument.Parse(request.Payload);
        Assert.Equal("push", payload.RootElement.GetProperty("event").GetString());
        Assert.Equal($"delivery-{_id}", payload.RootElement.GetProperty("delivery").GetString());
        Assert.Equal("refs/heads/main", payload.RootElement.GetProperty("body").GetProperty("ref").GetString());

        using var bob = await _h.ClientAsync("bob");
        var forBob = await (await bob.GetAsync($"/invocations/{id}")).AssertWithheldAsync();
        Assert.DoesNotContain("refs/heads", forBob, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplayedDelivery_Is409_AndRunsOnce()
    {
        // Bob captured one signed delivery to alice's trigger and sends it again.
        var signature = HubSignature.Sign(Secret, Encoding.UTF8.GetBytes(Body));
        using var first = await DeliverAsync(TriggerPath, Body, signature, "push", $"replay-{_id}");
        using var again = await DeliverAsync(TriggerPath, Body, signature, "push", $"replay-{_id}");
        using var anotherSpelling = await DeliverAsync(TriggerPath.Replace("<T,alice>", "<T, alice>", StringComparison.Ordinal), Body, signature, "push", $"replay-{_id}");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Contains($"replay-{_id} was already received", await again.AssertErrorAsync(HttpStatusCode.Conflict, "replayed"), StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.Accepted, anotherSpelling.StatusCode);
        await Task.Delay(100);
        Assert.Single(_h.Runner.Received, r => Encoding.UTF8.GetString(r.Payload.Span).Contains($"replay-{_id}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ForgedDelivery_DoesNotUseUpItsId()
    {
        // Bob cannot pre-burn the id of alice's next delivery without her secret.
        await (await DeliverAsync(TriggerPath, Body, "sha256=" + new string('0', 64), "push", $"next-{_id}")).AssertErrorAsync(HttpStatusCode.Unauthorized, "unauthorized");

        using var real = await DeliverAsync(TriggerPath, Body, HubSignature.Sign(Secret, Encoding.UTF8.GetBytes(Body)), "push", $"next-{_id}");

        Assert.Equal(HttpStatusCode.Accepted, real.StatusCode);
    }

    [Fact]
    public async Task SignedDeliveryWithoutAnId_Is400_AndRunsNothing()
    {
        var body = $"{{\"no-id\":\"{_id}\"}}";
        using var response = await DeliverAsync(TriggerPath, body, HubSignature.Sign(Secret, Encoding.UTF8.GetBytes(body)), "push", delivery: null);

        Assert.Contains("X-GitHub-Delivery", await response.AssertErrorAsync(HttpStatusCode.BadRequest, "bad_request"), StringComparison.Ordinal);
        await AssertNothingRanAsync(_id);
    }

    [Fact]
    public async Task Ping_Signed_Is200_AndRunsNothing()
    {
        using var response = await DeliverAsync(TriggerPath, "{\"zen\":\"Keep it logically awesome.\"}", HubSignature.Sign(Secret, "{\"zen\":\"Keep it logically awesome.\"}"u8), "ping", "ping-" + _id);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await AssertNothingRanAsync("ping-" + _id);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha256=")]
    [InlineData("sha256=zz")]
    [InlineData("sha1=0123456789abcdef0123456789abcdef01234567")]
    [InlineData("sha256=0000000000000000000000000000000000000000000000000000000000000000")]
    public async Task UnsignedOrForged_Is401_AndRunsNothing(string? signature)
    {
        using var response = await DeliverAsync(TriggerPath, Body, signature, "push", "forged-" + _id);
        await response.AssertErrorAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await AssertNothingRanAsync("forged-" + _id);
    }

    [Fact]
    public async Task SignedWithAnotherSecret_OrForAnotherBody_Is401()
    {
        await (await DeliverAsync(TriggerPath, Body, HubSignature.Sign("wrong secret", Encoding.UTF8.GetBytes(Body)), "push", "wrong-" + _id)).AssertErrorAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await DeliverAsync(TriggerPath, Body + " ", HubSignature.Sign(Secret, Encoding.UTF8.GetBytes(Body)), "push", "wrong-" + _id)).AssertErrorAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await AssertNothingRanAsync("wrong-" + _id);
    }

    [Fact]
    public async Task TriggerInAPrivateFacet_IsWithheld_EvenWhenSigned()
    {
        using var response = await DeliverAsync($"home:<alice,alice>:private-hook-{_id}", Body, HubSignature.Sign(Secret, Encoding.UTF8.GetBytes(Body)), "push", "private-" + _id);
        await response.AssertWithheldAsync();
        await AssertNothingRanAsync("private-" + _id);
    }

    [Fact]
    public async Task UnknownTrigger_Is404_AndNotATrigger_Is400()
    {
        await (await DeliverAsync($"home:<T,alice>:nope-{_id}", Body, "sha256=00", "push", "x")).AssertErrorAsync(HttpStatusCode.NotFound, "not_found");
        await (await DeliverAsync(GatePath, Body, "sha256=00", "push", "x")).AssertErrorAsync(HttpStatusCode.BadRequest, "bad_request");
    }

    [Fact]
    public async Task SignedButNotJson_Is400()
    {
        const string form = "payload=%7B%7D";
        await (await DeliverAsync(TriggerPath, form, HubSignature.Sign(Secret, Encoding.UTF8.GetBytes(form)), "push", "x")).AssertErrorAsync(HttpStatusCode.BadRequest, "bad_json");
    }

    [Fact]
    public async Task HugeDelivery_Is413()
    {
        var huge = "{\"a\":\"" + new string('x', 5 * 1024 * 1024) + "\"}";
        await (await DeliverAsync(TriggerPath, huge, "sha256=00", "push", "x")).AssertErrorAsync(HttpStatusCode.RequestEntityTooLarge, "too_large");
    }

    [Fact]
    public async Task BearerTokenOnAHook_IsIgnored_SendersAreAnonymous()
    {
        using var client = _h.WithToken("garbage that would be a 401 elsewhere");
        using var request = Delivery(TriggerPath, Body, HubSignature.Sign(Secret, Encoding.UTF8.GetBytes(Body)), "push", "tok");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public void Logs_NeverContainTheSecretOrTheBody()
    {
        Assert.DoesNotContain(Secret, _h.Logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain("refs/heads/main", _h.Logs.All, StringComparison.Ordinal);
    }

    // Nothing reaches the scheduler asynchronously later either: the check runs after a pause.
    private async Task AssertNothingRanAsync(string delivery)
    {
        await Task.Delay(100);
        Assert.DoesNotContain(_h.Runner.Received, r => Encoding.UTF8.GetString(r.Payload.Span).Contains(delivery, StringComparison.Ordinal));
    }

    private async Task<HttpResponseMessage> DeliverAsync(string triggerPath, string body, string? signature, string eventName, string? delivery)
    {
        using var client = _h.Anonymous();
        using var request = Delivery(triggerPath, body, signature, eventName, delivery);
        // A 413 is answered before the body is read; with 100-continue the client hears it instead of a reset.
        request.Headers.ExpectContinue = true;
        return await client.SendAsync(request);
    }

    private static HttpRequestMessage Delivery(string triggerPath, string body, string? signature, string eventName, string? delivery)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/hooks/" + Q(triggerPath)) { Content = JsonText(body) };
        request.Headers.Add("X-GitHub-Event", eventName);
        if (delivery is not null)
        {
            request.Headers.Add("X-GitHub-Delivery", delivery);
        }

        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation(HubSignature.HeaderName, signature);
        }

        return request;
    }
}

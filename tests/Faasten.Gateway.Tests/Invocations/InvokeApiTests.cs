using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Faasten.Gateway.Tests.TestSupport;
using Faasten.Protocol.Labels;
using static Faasten.Gateway.Tests.TestSupport.HttpHelpers;

namespace Faasten.Gateway.Tests.Invocations;

/// <summary>POST /invoke and GET /invocations through the real in-process scheduler (scripted functions).</summary>
public sealed class InvokeApiTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>, IAsyncLifetime
{
    private const string Secret = "ALICE-SECRET-FOR-FUNCTIONS";
    private readonly GatewayHarness _h = fixture.Harness;
    private readonly string _id = Guid.NewGuid().ToString("N")[..8];
    private HttpClient _alice = null!;
    private HttpClient _bob = null!;

    private string Gate(string name) => $"home:<T,alice>:{name}-{_id}";

    public async Task InitializeAsync()
    {
        _alice = await _h.ClientAsync("alice");
        _bob = await _h.ClientAsync("bob");
        (await _alice.PostAsync($"/fs/file?path={Q($"home:<alice,alice>:secret-{_id}")}", new StringContent(Secret))).EnsureSuccessStatusCode();
        await CreateGateAsync("echo", "echo", privilege: "alice", clearance: "T");
        // alice/reader cannot declassify alice: what it reads of alice's stays alice's.
        await CreateGateAsync("reader", "read", privilege: "alice/reader", clearance: "T");
        await CreateGateAsync("private", "echo", privilege: "alice", clearance: "alice");
        await CreateGateAsync("fail", "fail", privilege: "alice", clearance: "T");
        await CreateGateAsync("crash", "crash", privilege: "alice", clearance: "T");
        await CreateGateAsync("timeout", "timeout", privilege: "alice", clearance: "T");
    }

    public Task DisposeAsync()
    {
        _alice.Dispose();
        _bob.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Sync_ReturnsTheFunctionsJson()
    {
        using var response = await _alice.PostAsJsonAsync("/invoke", new { path = Gate("echo"), payload = new { hello = "world", n = 3 } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var body = await response.JsonAsync();
        Assert.Equal("world", body.GetProperty("hello").GetString());
        Assert.Equal(3, body.GetProperty("n").GetInt32());
        Assert.True(response.Headers.Contains("Faasten-Label"));
    }

    [Fact]
    public async Task Invoke_SetsInvokerPrivilegeFromTokenAndPayloadLabel()
    {
        using var response = await _alice.PostAsJsonAsync("/invoke", new { path = Gate("echo"), payload = 1, label = "alice,T" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var request = _h.Runner.Received.Last(r => r.GatePath == Gate("echo") && Encoding.UTF8.GetString(r.Payload.Span) == "1");
        Assert.Equal("alice", request.InvokerPrivilege.ToString());
        Assert.Equal("alice,T", request.PayloadLabel.ToString());
        Assert.True(request.Sync);
        Assert.Equal(32, request.Id.Length);

        using var anonymous = _h.Anonymous();
        (await anonymous.PostAsJsonAsync("/invoke", new { path = Gate("echo"), payload = 2 })).EnsureSuccessStatusCode();
        var anon = _h.Runner.Received.Last(r => r.GatePath == Gate("echo") && Encoding.UTF8.GetString(r.Payload.Span) == "2");
        Assert.Equal("T", anon.InvokerPrivilege.ToString());
        Assert.Equal("T,T", anon.PayloadLabel.ToString());
    }

    [Fact]
    public async Task Attack_ADepthInTheBody_IsRefused_SoNoCallerSkipsTheQueueAsANestedCall()
    {
        // A sync request with a depth runs in a running function's lent slot, past the queue and
        // the invoker's share; only the kernel may set one. The body has no such field.
        var body = $$"""{"path": "{{Gate("echo")}}", "payload": 77, "depth": 5}""";
        using var response = await _alice.PostAsync("/invoke", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(_h.Runner.Received, r => Encoding.UTF8.GetString(r.Payload.Span) == "77");
        using var plain = await _alice.PostAsJsonAsync("/invoke", new { path = Gate("echo"), payload = 78 });
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal(0, _h.Runner.Received.Last(r => Encoding.UTF8.GetString(r.Payload.Span) == "78").Depth);
    }

    [Fact]
    public async Task Async_Returns202Id_ThenTheResult()
    {
        using var response = await _alice.PostAsJsonAsync("/invoke", new { path = Gate("echo"), payload = new { later = true }, sync = false });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.JsonAsync()).GetProperty("id").GetString()!;
        using var result = await InvocationPolling.WaitAsync(_alice, id);
        Assert.Equal(HttpStatusCode.OK, result.StatusCode);
        Assert.True((await result.JsonAsync()).GetProperty("later").GetBoolean());
    }

    [Fact]
    public async Task ResultLabeledAlice_IsWithheldFromBob_AndReleasedToAlice()
    {
        var payload = new { path = $"home:<alice,alice>:secret-{_id}" };
        using var forBob = await _bob.PostAsJsonAsync("/invoke", new { path = Gate("reader"), payload });
        var body = await forBob.AssertWithheldAsync();
        Assert.DoesNotContain(Secret, body, StringComparison.Ordinal);

        using var forAlice = await _alice.PostAsJsonAsync("/invoke", new { path = Gate("reader"), payload });
        Assert.Equal(HttpStatusCode.OK, forAlice.StatusCode);
        Assert.Equal(Secret, (await forAlice.JsonAsync()).GetString());
        Assert.StartsWith("alice,", forAlice.Headers.GetValues("Faasten-Label").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AsyncResultLabeledAlice_IsWithheldFromBob()
    {
        using var submitted = await _bob.PostAsJsonAsync("/invoke", new { path = Gate("reader"), payload = new { path = $"home:<alice,alice>:secret-{_id}" }, sync = false });
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        var id = (await submitted.JsonAsync()).GetProperty("id").GetString()!;
        using var result = await InvocationPolling.WaitAsync(_bob, id);
        Assert.DoesNotContain(Secret, await result.AssertWithheldAsync(), StringComparison.Ordinal);
        using var anonymous = _h.Anonymous();
        await (await anonymous.GetAsync($"/invocations/{id}")).AssertWithheldAsync();
    }

    [Fact]
    public async Task ErrorLabeledAlice_IsWithheldFromBob_ButShownToAlice()
    {
        var payload = new { path = $"home:<alice,alice>:missing-{_id}" };
        using var forBob = await _bob.PostAsJsonAsync("/invoke", new { path = Gate("reader"), payload });
        var body = await forBob.AssertWithheldAsync();
        Assert.DoesNotContain("missing", body, StringComparison.Ordinal);

        using var forAlice = await _alice.PostAsJsonAsync("/invoke", new { path = Gate("reader"), payload });
        Assert.Contains("read failed", await forAlice.AssertErrorAsync(HttpStatusCode.BadGateway, "function_error"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BobWithoutClearance_IsForbidden()
    {
        using var response = await _bob.PostAsJsonAsync("/invoke", new { path = Gate("private"), payload = 1 });
        await response.AssertErrorAsync(HttpStatusCode.Forbidden, "forbidden");
        using var asAlice = await _alice.PostAsJsonAsync("/invoke", new { path = Gate("private"), payload = 1 });
        Assert.Equal(HttpStatusCode.OK, asAlice.StatusCode);
    }

    [Theory]
    [InlineData("fail", HttpStatusCode.BadGateway, "function_error")]
    [InlineData("crash", HttpStatusCode.BadGateway, "crashed")]
    [InlineData("timeout", HttpStatusCode.GatewayTimeout, "timeout")]
    public async Task FunctionFailures_MapToStatuses(string gate, HttpStatusCode status, string code)
    {
        using var response = await _alice.PostAsJsonAsync("/invoke", new { path = Gate(gate), payload = 1 });
        await response.AssertErrorAsync(status, code);
    }

    [Fact]
    public async Task UnknownGate_Is404()
    {
        using var response = await _alice.PostAsJsonAsync("/invoke", new { path = Gate("nope"), payload = 1 });
        await response.AssertErrorAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("x")]
    public async Task UnknownInvocation_Is404(string id)
    {
        await (await _alice.GetAsync($"/invocations/{id}")).AssertErrorAsync(HttpStatusCode.NotFound, "not_found");
        await (await _alice.GetAsync($"/invocations/{new string('a', 500)}")).AssertErrorAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task UpdateGate_ChangesTheFunction()
    {
        var path = Gate("updatable");
        await CreateGateAsync("updatable", "echo", privilege: "alice", clearance: "T");
        var failImage = await _h.ImageAsync("fail");
        using var put = await _alice.PutAsJsonAsync("/gates", new { path, blob = failImage, privilege = "alice", clearance = "T", memory = 256, timeout = 5000 });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(path, (await put.JsonAsync()).GetProperty("path").GetString());
        await (await _alice.PostAsJsonAsync("/invoke", new { path, payload = 1 })).AssertErrorAsync(HttpStatusCode.BadGateway, "function_error");

        // Bob may not update alice's gate.
        using var bobPut = await _bob.PutAsJsonAsync("/gates", new { path, blob = failImage, privilege = "bob", clearance = "T" });
        await bobPut.AssertErrorAsync(HttpStatusCode.Forbidden, "label_denied");
    }

    [Fact]
    public void Logs_NeverContainPayloadsOrResults()
    {
        Assert.DoesNotContain(Secret, _h.Logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain("world", _h.Logs.All, StringComparison.Ordinal);
    }

    private async Task CreateGateAsync(string name, string function, string privilege, string clearance)
    {
        var image = await _h.ImageAsync(function);
        using var response = await _alice.PostAsJsonAsync("/gates", new { path = Gate(name), blob = image, privilege, clearance });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(Gate(name), (await response.JsonAsync()).GetProperty("path").GetString());
    }
}

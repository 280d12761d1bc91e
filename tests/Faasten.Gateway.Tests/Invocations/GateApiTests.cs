using System.Net;
using System.Net.Http.Json;
using Faasten.Gateway.Tests.TestSupport;
using static Faasten.Gateway.Tests.TestSupport.HttpHelpers;

namespace Faasten.Gateway.Tests.Invocations;

/// <summary>
/// Registering gates (validation that names the field), reading them back with GET /gates,
/// services updated and described, schedules created: each as alice, and as bob trying to
/// learn or take what is hers.
/// </summary>
public sealed class GateApiTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>, IAsyncLifetime
{
    private readonly GatewayHarness _h = fixture.Harness;
    private readonly string _id = Guid.NewGuid().ToString("N")[..8];
    private HttpClient _alice = null!;
    private HttpClient _bob = null!;
    private string _image = null!;

    public async Task InitializeAsync()
    {
        _alice = await _h.ClientAsync("alice");
        _bob = await _h.ClientAsync("bob");
        _image = await _h.ImageAsync("echo");
    }

    public Task DisposeAsync()
    {
        _alice.Dispose();
        _bob.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Register_WithEnv_DescribesEveryField()
    {
        var path = $"home:<T,alice>:env-{_id}";
        using (var created = await _alice.PostAsJsonAsync("/gates", new { path, blob = _image, privilege = "alice", clearance = "T", declassify = "alice", memory = 256, timeout = 5000, env = new Dictionary<string, string> { ["GREETING"] = "hello", ["MODE"] = "test" } }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using var shown = await _bob.GetAsync($"/gates?path={Q(path)}");
        var gate = await shown.JsonAsync();
        Assert.Equal("gate", gate.GetProperty("kind").GetString());
        Assert.Equal("T,alice", gate.GetProperty("label").GetString());
        Assert.Equal("alice", gate.GetProperty("privilege").GetString());
        Assert.Equal("T", gate.GetProperty("clearance").GetString());
        Assert.Equal("alice", gate.GetProperty("declassify").GetString());
        Assert.Equal(256, gate.GetProperty("memory").GetInt32());
        Assert.Equal(5000, gate.GetProperty("timeout").GetInt32());
        Assert.Equal("python3", gate.GetProperty("runtime").GetString());
        Assert.Equal(64, gate.GetProperty("image").GetString()!.Length);
        Assert.Equal("hello", gate.GetProperty("env").GetProperty("GREETING").GetString());

        // PUT replaces the environment with the one given.
        using (var updated = await _alice.PutAsJsonAsync("/gates", new { path, blob = _image, privilege = "alice", clearance = "T", env = new Dictionary<string, string> { ["MODE"] = "prod" } }))
        {
            Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        }

        var again = await (await _alice.GetAsync($"/gates?path={Q(path)}")).JsonAsync();
        Assert.Equal("prod", again.GetProperty("env").GetProperty("MODE").GetString());
        Assert.False(again.GetProperty("env").TryGetProperty("GREETING", out _));
    }

    [Theory]
    [InlineData("""{"runtime":"node20"}""", "unknown runtime in 'runtime': 'node20'; known runtimes: python3")]
    [InlineData("""{"memory":8}""", "'memory' must be 16–16384 MB, got 8")]
    [InlineData("""{"timeout":0}""", "'timeout' must be 1–900000 ms (15 min), got 0")]
    [InlineData("""{"timeout":900001}""", "'timeout' must be 1–900000 ms (15 min), got 900001")]
    [InlineData("""{"env":{"1BAD":"x"}}""", "bad name in 'env': '1BAD'")]
    [InlineData("""{"env":{"A":"x\u0000y"}}""", "bad value in 'env' for 'A'")]
    public async Task Register_BadFunctionField_Is400NamingIt(string extra, string message)
    {
        var body = $$"""{"path":"home:<T,alice>:bad-{{_id}}","blob":"{{_image}}","privilege":"alice","clearance":"T",{{extra[1..^1]}}}""";
        using var response = await _alice.PostAsync("/gates", JsonText(body));
        var text = await response.AssertErrorAsync(HttpStatusCode.BadRequest, "bad_request");
        Assert.Contains(message, text, StringComparison.Ordinal);
        Assert.DoesNotContain("/", text.Replace("16384 MB", "", StringComparison.Ordinal).Replace("1–", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_TooManyEnvVariables_Is400()
    {
        var env = Enumerable.Range(0, 65).ToDictionary(i => $"V{i}", i => "x");
        using var response = await _alice.PostAsJsonAsync("/gates", new { path = $"home:<T,alice>:many-{_id}", blob = _image, privilege = "alice", clearance = "T", env });
        Assert.Contains("'env' holds 65 variables; at most 64", await response.AssertErrorAsync(HttpStatusCode.BadRequest, "bad_request"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_BlobThatIsNoImage_Is400_AndBobLearnsNothingOfAlicesBlobs()
    {
        (await _alice.PostAsync($"/fs/blob?path={Q($"home:<T,alice>:notes-{_id}.txt")}", new ByteArrayContent("just text"u8.ToArray()))).EnsureSuccessStatusCode();
        using (var response = await _alice.PostAsJsonAsync("/gates", new { path = $"home:<T,alice>:txt-{_id}", blob = $"home:<T,alice>:notes-{_id}.txt", privilege = "alice", clearance = "T" }))
        {
            var text = await response.AssertErrorAsync(HttpStatusCode.BadRequest, "bad_request");
            Assert.Equal("'blob' is not a function image (a SquashFS image made by 'fstn build')", text);
        }

        // A private image bob names as his gate's blob: present or absent, the same withheld answer.
        (await _alice.PostAsync($"/fs/blob?path={Q($"home:<alice,alice>:img-{_id}")}", new ByteArrayContent("hsqs-private"u8.ToArray()))).EnsureSuccessStatusCode();
        foreach (var blob in new[] { $"home:<alice,alice>:img-{_id}", $"home:<alice,alice>:none-{_id}" })
        {
            using var response = await _bob.PostAsJsonAsync("/gates", new { path = $"home:<T,bob>:mine-{_id}", blob, privilege = "bob", clearance = "T" });
            await response.AssertWithheldAsync();
        }
    }

    [Fact]
    public async Task DescribeGate_PrivateOrMissing_IsWithheldFromBob()
    {
        var path = $"home:<alice,alice>:hidden-{_id}";
        (await _alice.PostAsJsonAsync("/gates", new { path, blob = _image, privilege = "alice", clearance = "alice", env = new Dictionary<string, string> { ["K"] = "v" } })).EnsureSuccessStatusCode();
        Assert.Equal("v", (await (await _alice.GetAsync($"/gates?path={Q(path)}")).JsonAsync()).GetProperty("env").GetProperty("K").GetString());

        foreach (var p in new[] { path, $"home:<alice,alice>:missing-{_id}" })
        {
            using var response = await _bob.GetAsync($"/gates?path={Q(p)}");
            await response.AssertWithheldAsync();
        }

        using var notAGate = await _alice.GetAsync($"/gates?path={Q("home:<T,alice>")}");
        await notAGate.AssertErrorAsync(HttpStatusCode.BadRequest, "bad_request");
        using var noPath = await _alice.GetAsync("/gates");
        await noPath.AssertErrorAsync(HttpStatusCode.BadRequest, "bad_path");
    }

    [Fact]
    public async Task Service_UpdatedWithPut_DescribedWithoutHeaderValues_AndNotBobs()
    {
        var path = $"home:<T,alice>:svc-{_id}";
        var body = new { path, url = "https://api.example.com/{q}", verb = "GET", headers = new Dictionary<string, string> { ["Authorization"] = "Bearer ALICE-API-KEY" }, taint = "alice,T", privilege = "alice", clearance = "T" };
        Assert.Equal(HttpStatusCode.Created, (await _alice.PostAsJsonAsync("/fs/service", body)).StatusCode);
        await (await _alice.PostAsJsonAsync("/fs/service", body)).AssertErrorAsync(HttpStatusCode.Conflict, "exists");

        using (var put = await _alice.PutAsJsonAsync("/fs/service", body with { url = "https://api.example.com/v2/{q}", verb = "POST" }))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        using var shown = await _bob.GetAsync($"/fs/service?path={Q(path)}");
        var raw = await shown.Content.ReadAsStringAsync();
        var service = await shown.JsonAsync();
        Assert.Equal("https://api.example.com/v2/{q}", service.GetProperty("url").GetString());
        Assert.Equal("POST", service.GetProperty("verb").GetString());
        Assert.Equal("Authorization", service.GetProperty("headers")[0].GetString());
        Assert.DoesNotContain("ALICE-API-KEY", raw, StringComparison.Ordinal);

        // Bob may read it but not change it, nor make it carry his privilege where hers is.
        using var bobPut = await _bob.PutAsJsonAsync("/fs/service", body with { privilege = "bob", taint = "bob,T" });
        await bobPut.AssertErrorAsync(HttpStatusCode.Forbidden, "label_denied");
        using var missing = await _alice.PutAsJsonAsync("/fs/service", body with { path = $"home:<T,alice>:nosvc-{_id}" });
        await missing.AssertErrorAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Schedule_Created_Listed_AndBobCannotUseAlicesPrivilege()
    {
        var gate = $"home:<T,alice>:sgate-{_id}";
        (await _alice.PostAsJsonAsync("/gates", new { path = gate, blob = _image, privilege = "alice", clearance = "alice" })).EnsureSuccessStatusCode();
        using (var created = await _alice.PostAsJsonAsync("/fs/schedule", new { path = $"home:<T,alice>:nightly-{_id}", cron = "0 3 * * *", gate, privilege = "alice", payload = new { full = true } }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var stat = await (await _alice.GetAsync($"/fs/stat?path={Q($"home:<T,alice>:nightly-{_id}")}")).JsonAsync();
        Assert.Equal("schedule", stat.GetProperty("kind").GetString());

        using var bob = await _bob.PostAsJsonAsync("/fs/schedule", new { path = $"home:<T,bob>:steal-{_id}", cron = "* * * * *", gate, privilege = "alice" });
        await bob.AssertErrorAsync(HttpStatusCode.Forbidden, "privilege_denied");

        using var badCron = await _alice.PostAsJsonAsync("/fs/schedule", new { path = $"home:<T,alice>:bad-{_id}", cron = "every day", gate, privilege = "alice" });
        Assert.Contains("'cron'", await badCron.AssertErrorAsync(HttpStatusCode.BadRequest, "bad_request"), StringComparison.Ordinal);
        using var noCron = await _alice.PostAsJsonAsync("/fs/schedule", new { path = $"home:<T,alice>:bad-{_id}", gate, privilege = "alice" });
        Assert.Contains("'cron'", await noCron.AssertErrorAsync(HttpStatusCode.BadRequest, "bad_request"), StringComparison.Ordinal);
        using var facet = await _alice.PostAsJsonAsync("/fs/schedule", new { path = "home:%:x", cron = "* * * * *", gate, privilege = "alice" });
        await facet.AssertErrorAsync(HttpStatusCode.BadRequest, "bad_path");
    }
    [Theory]
    [InlineData("* * * * * *", "'cron'")] // six fields (seconds) is not the standard format
    [InlineData("61 * * * *", "'cron'")]
    [InlineData("   ", "'cron'")]
    [InlineData("LONG", "'cron'")] // a 300-character expression
    public async Task Schedule_GarbageCron_Is400NamingIt(string cron, string named)
    {
        var gate = await GateAsync("cron");
        var text = cron == "LONG" ? string.Join(',', Enumerable.Repeat("1", 150)) + " * * * *" : cron;
        using var reply = await _alice.PostAsJsonAsync("/fs/schedule", new { path = $"home:<T,alice>:c-{_id}", cron = text, gate, privilege = "alice" });
        Assert.Contains(named, await reply.AssertErrorAsync(HttpStatusCode.BadRequest, "bad_request"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schedule_GarbageFields_Are400NamingThem_AndAHugePayload413()
    {
        var gate = await GateAsync("garbage");
        var path = $"home:<T,alice>:g-{_id}";
        using (var reply = await _alice.PostAsJsonAsync("/fs/schedule", new { path, cron = "* * * * *", gate, privilege = "alice |&| (" }))
        {
            Assert.Contains("'privilege'", await reply.AssertErrorAsync(HttpStatusCode.BadRequest, "bad_label"), StringComparison.Ordinal);
        }

        using (var reply = await _alice.PostAsJsonAsync("/fs/schedule", new { path, cron = "* * * * *", gate, privilege = "alice", payloadLabel = "no label" }))
        {
            Assert.Contains("'payloadLabel'", await reply.AssertErrorAsync(HttpStatusCode.BadRequest, "bad_label"), StringComparison.Ordinal);
        }

        using (var reply = await _alice.PostAsJsonAsync("/fs/schedule", new { path, cron = "* * * * *", gate = "a::b", privilege = "alice" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, reply.StatusCode);
        }

        // A payload nested deeper than the reader allows, and one larger than a JSON body may be.
        var deep = new string('[', 500) + new string(']', 500);
        using (var body = new StringContent($$"""{"path":"{{path}}","cron":"* * * * *","gate":"{{gate}}","privilege":"alice","payload":{{deep}}}""", System.Text.Encoding.UTF8, "application/json"))
        using (var reply = await _alice.PostAsync("/fs/schedule", body))
        {
            Assert.Equal(HttpStatusCode.BadRequest, reply.StatusCode);
        }

        var huge = new string('x', 2 * 1024 * 1024);
        using (var reply = await _alice.PostAsJsonAsync("/fs/schedule", new { path, cron = "* * * * *", gate, privilege = "alice", payload = new { huge } }))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, reply.StatusCode);
        }

        // None of them made a schedule.
        using var stat = await _alice.GetAsync($"/fs/stat?path={Q(path)}");
        Assert.Equal(HttpStatusCode.NotFound, stat.StatusCode);
    }

    private async Task<string> GateAsync(string name)
    {
        var gate = $"home:<T,alice>:{name}-{_id}";
        (await _alice.PostAsJsonAsync("/gates", new { path = gate, blob = _image, privilege = "alice", clearance = "alice" })).EnsureSuccessStatusCode();
        return gate;
    }
}

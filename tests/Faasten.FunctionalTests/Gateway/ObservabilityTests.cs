using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Faasten.FunctionalTests.Stack;
using static Faasten.FunctionalTests.Stack.Api;

namespace Faasten.FunctionalTests.Gateway;

/// <summary>
/// Logs, records, the taint trail and metrics against the whole stack with real VMs (DESIGN §9),
/// tried as bob would break them: bob's function, run by alice on her secret, prints it; alice
/// reads the logs, and nothing bob can observe (logs, records, listings and their counts, the
/// trail, metrics) depends on it.
/// </summary>
public sealed class ObservabilityTests(EmbeddedStack stack) : IClassFixture<EmbeddedStack>
{
    private const string Secret = "alice-secret-7Q3Z";
    private const string SecretFile = "home:<alice,alice>:topsecret-name-K9";

    // Prints what it is given and what it reads, on both streams.
    private const string Echo = """
        import sys
        def handle(event, cloudcall):
            print("marker", event.get("marker"))
            if "path" in event:
                data = cloudcall.fs_read(event["path"]).decode()
                print("read:", data)
                sys.stderr.write("err: " + data + "\n")
            if "spam" in event:
                sys.stdout.write("x" * event["spam"])
            return {"ok": True}
        """;

    private async Task<string> BobsEchoGateAsync(HttpClient bob, string name)
    {
        var image = $"home:<T,bob>:{name}.img";
        _ = await bob.PutBlobAsync(image, await FunctionImage.FromWorkloadAsync(Echo));
        var gate = $"home:<T,bob>:{name}";
        // Anyone may run it; bob's privilege cannot declassify alice.
        await (await bob.PostAsJsonAsync("/gates", new { path = gate, blob = image, privilege = "bob", clearance = "T" })).OkJsonAsync(HttpStatusCode.Created);
        return gate;
    }

    private static async Task<string> InvokeAsync(HttpClient client, string gate, object payload, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.PostAsJsonAsync("/invoke", new { path = gate, payload });
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response.Headers.GetValues("Faasten-Invocation").Single();
    }

    private static async Task<string> BodyAsync(HttpClient client, string route)
    {
        using var response = await client.GetAsync(route);
        return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
    }

    [Fact]
    public async Task BobsFunction_OnAlicesSecret_LogsReadableByAliceOnly()
    {
        using var alice = await stack.LoginAsync("alice");
        using var bob = await stack.LoginAsync("bob");
        var gate = await BobsEchoGateAsync(bob, "echo-secret");
        using (var write = await alice.PostAsync($"/fs/file?path={Q(SecretFile)}", new StringContent(Secret)))
        {
            await write.OkJsonAsync(HttpStatusCode.Created);
        }

        var bobListingBefore = await BodyAsync(bob, "/invocations");
        var bobGateListingBefore = await BodyAsync(bob, $"/invocations?gate={Q(gate)}");

        var id = await InvokeAsync(alice, gate, new { marker = "m1", path = SecretFile });

        // Alice: her logs, under her label, and the record with the trail that explains it.
        var logs = await (await alice.GetAsync($"/invocations/{id}/logs")).OkJsonAsync();
        Assert.Equal(id, logs.GetProperty("id").GetString());
        Assert.Contains("read: " + Secret, logs.GetProperty("logs").GetString(), StringComparison.Ordinal);
        Assert.Contains("err: " + Secret, logs.GetProperty("logs").GetString(), StringComparison.Ordinal);
        Assert.False(logs.GetProperty("truncated").GetBoolean());
        Assert.StartsWith("alice", logs.GetProperty("label").GetString(), StringComparison.Ordinal);

        var record = await (await alice.GetAsync($"/invocations/{id}/record")).OkJsonAsync();
        Assert.Equal(gate, record.GetProperty("gate").GetString());
        Assert.Equal("ok", record.GetProperty("status").GetString());
        Assert.True(record.GetProperty("cold").GetBoolean());
        Assert.False(string.IsNullOrEmpty(record.GetProperty("vm").GetString()));
        Assert.Equal(Environment.MachineName, record.GetProperty("worker").GetString());
        Assert.EndsWith("Z", record.GetProperty("finished").GetString(), StringComparison.Ordinal);
        var trail = record.GetProperty("trail").EnumerateArray().Select(s => (What: s.GetProperty("what").GetString()!, Label: s.GetProperty("label").GetString()!)).ToList();
        Assert.Contains(trail, s => s.What == "read " + SecretFile && s.Label.StartsWith("alice", StringComparison.Ordinal));

        var listing = await (await alice.GetAsync($"/invocations?gate={Q(gate)}")).OkJsonAsync();
        var listed = Assert.Single(listing.GetProperty("invocations").EnumerateArray());
        Assert.Equal(id, listed.GetProperty("id").GetString());
        Assert.False(listed.TryGetProperty("trail", out _));

        // Bob, whose function it is: not the logs, not the record or its trail (answered as an
        // unknown id), and his listings read exactly as before, count included.
        await (await bob.GetAsync($"/invocations/{id}/logs")).AssertErrorAsync(HttpStatusCode.NotFound, "not_found");
        await (await bob.GetAsync($"/invocations/{id}/record")).AssertErrorAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Equal(await BodyAsync(bob, "/invocations/0123456789abcdef0123456789abcdef/logs"), await BodyAsync(bob, $"/invocations/{id}/logs"));
        Assert.Equal(bobListingBefore, await BodyAsync(bob, "/invocations"));
        Assert.Equal(bobGateListingBefore, await BodyAsync(bob, $"/invocations?gate={Q(gate)}"));

        // Anonymous callers see nothing either.
        using var anonymous = stack.Anonymous();
        await (await anonymous.GetAsync($"/invocations/{id}/logs")).AssertErrorAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task AlicesPublicCall_OfBobsGate_IsNotInBobsListing()
    {
        using var alice = await stack.LoginAsync("alice");
        using var bob = await stack.LoginAsync("bob");
        var gate = await BobsEchoGateAsync(bob, "echo-public");
        var before = await BodyAsync(bob, $"/invocations?gate={Q(gate)}");

        var id = await InvokeAsync(alice, gate, new { marker = "public" });

        Assert.Equal(before, await BodyAsync(bob, $"/invocations?gate={Q(gate)}"));
        await (await bob.GetAsync($"/invocations/{id}/record")).AssertErrorAsync(HttpStatusCode.NotFound, "not_found");
        // Bob's own call is his to see.
        var own = await InvokeAsync(bob, gate, new { marker = "bobs" });
        var listing = await (await bob.GetAsync($"/invocations?gate={Q(gate)}")).OkJsonAsync();
        Assert.Equal([own], listing.GetProperty("invocations").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        Assert.Contains("marker bobs", (await (await bob.GetAsync($"/invocations/{own}/logs")).OkJsonAsync()).GetProperty("logs").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResultBobCannotRead_ItsRecordAndTrailAreWithheldLikeIt()
    {
        using var alice = await stack.LoginAsync("alice");
        using var bob = await stack.LoginAsync("bob");
        var gate = await BobsEchoGateAsync(bob, "echo-withheld");
        using (var write = await alice.PostAsync($"/fs/file?path={Q("home:<alice,T>:note")}", new StringContent("for alice's eyes")))
        {
            await write.OkJsonAsync(HttpStatusCode.Created);
        }

        // Bob runs his function on something it may read only by tainting itself alice: the result
        // is withheld from bob, and so is everything recorded about the run.
        using var response = await bob.PostAsJsonAsync("/invoke", new { path = gate, payload = new { marker = "b", path = "home:<alice,T>:note" } });
        await response.AssertWithheldAsync();
        var id = response.Headers.GetValues("Faasten-Invocation").Single();

        await (await bob.GetAsync($"/invocations/{id}/record")).AssertErrorAsync(HttpStatusCode.NotFound, "not_found");
        await (await bob.GetAsync($"/invocations/{id}/logs")).AssertErrorAsync(HttpStatusCode.NotFound, "not_found");
        Assert.DoesNotContain(id, await BodyAsync(bob, "/invocations"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReusedVm_StartsAFreshLog_AndLongOutputIsTruncated()
    {
        using var alice = await stack.LoginAsync("alice");
        using var bob = await stack.LoginAsync("bob");
        var gate = await BobsEchoGateAsync(bob, "echo-reuse");

        var first = await InvokeAsync(alice, gate, new { marker = "first-run" });
        var second = await InvokeAsync(alice, gate, new { marker = "second-run", spam = 100_000 });

        var record = await (await alice.GetAsync($"/invocations/{second}/record")).OkJsonAsync();
        Assert.False(record.GetProperty("cold").GetBoolean());
        var logs = await (await alice.GetAsync($"/invocations/{second}/logs")).OkJsonAsync();
        var text = logs.GetProperty("logs").GetString()!;
        Assert.Contains("second-run", text, StringComparison.Ordinal);
        Assert.DoesNotContain("first-run", text, StringComparison.Ordinal);
        Assert.True(logs.GetProperty("truncated").GetBoolean());
        Assert.Equal(stack.Server.Records.Options.MaxLogBytes, text.Length);
        Assert.Contains("first-run", (await (await alice.GetAsync($"/invocations/{first}/logs")).OkJsonAsync()).GetProperty("logs").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusedInvocation_IsRecordedAsNeverRun()
    {
        using var alice = await stack.LoginAsync("alice");
        using var bob = await stack.LoginAsync("bob");
        const string image = "home:<T,alice>:only-alice.img";
        _ = await alice.PutBlobAsync(image, await FunctionImage.FromWorkloadAsync(Echo));
        await (await alice.PostAsJsonAsync("/gates", new { path = "home:<T,alice>:only-alice", blob = image, privilege = "alice", clearance = "alice" })).OkJsonAsync(HttpStatusCode.Created);

        var id = await InvokeAsync(bob, "home:<T,alice>:only-alice", new { marker = "x" }, HttpStatusCode.Forbidden);

        var record = await (await bob.GetAsync($"/invocations/{id}/record")).OkJsonAsync();
        Assert.Equal("forbidden", record.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, record.GetProperty("started").ValueKind);
        Assert.Equal(JsonValueKind.Null, record.GetProperty("vm").ValueKind);
        Assert.False(record.GetProperty("cold").GetBoolean());
        Assert.Equal("", (await (await bob.GetAsync($"/invocations/{id}/logs")).OkJsonAsync()).GetProperty("logs").GetString());
    }

    /// <summary>
    /// Bob invokes a name in alice's private facet: whether a gate is there is hers. The worker
    /// refuses both calls (clearance, or not found) after the walk read her facet, so the
    /// answers, records, logs and bob's listing must be the same whether the gate exists.
    /// </summary>
    [Fact]
    public async Task RefusalInAlicesPrivateFacet_RecordsNothingBobCanTellApart()
    {
        using var alice = await stack.LoginAsync("alice");
        using var bob = await stack.LoginAsync("bob");
        var tag = Guid.NewGuid().ToString("N")[..8];
        var image = $"home:<alice,alice>:hidden-{tag}.img";
        _ = await alice.PutBlobAsync(image, await FunctionImage.FromWorkloadAsync(Echo));
        var present = $"home:<alice,alice>:hidden-{tag}";
        await (await alice.PostAsJsonAsync("/gates", new { path = present, blob = image, privilege = "alice", clearance = "alice" })).OkJsonAsync(HttpStatusCode.Created);
        var absent = $"home:<alice,alice>:absent-{tag}";
        var before = await BodyAsync(bob, "/invocations");

        var seen = new List<string>();
        foreach (var path in new[] { present, absent })
        {
            using var reply = await bob.PostAsJsonAsync("/invoke", new { path, payload = new { marker = "probe" } });
            var id = reply.Headers.GetValues("Faasten-Invocation").Single();
            seen.Add($"{(int)reply.StatusCode} {await reply.Content.ReadAsStringAsync()} | {await BodyAsync(bob, $"/invocations/{id}/record")} | {await BodyAsync(bob, $"/invocations/{id}/logs")}");
        }

        Assert.Equal(seen[0], seen[1]);
        Assert.StartsWith("403 ", seen[0], StringComparison.Ordinal);
        Assert.Equal(before, await BodyAsync(bob, "/invocations"));
    }

    [Fact]
    public async Task Listing_BadInput_IsANamed400()
    {
        using var alice = await stack.LoginAsync("alice");

        Assert.Contains("'limit'", await (await alice.GetAsync("/invocations?limit=0")).AssertErrorAsync(HttpStatusCode.BadRequest, "bad_request"), StringComparison.Ordinal);
        Assert.Contains("'limit'", await (await alice.GetAsync("/invocations?limit=1001")).AssertErrorAsync(HttpStatusCode.BadRequest, "bad_request"), StringComparison.Ordinal);
        Assert.Contains("'cursor'", await (await alice.GetAsync("/invocations?cursor=nonsense")).AssertErrorAsync(HttpStatusCode.BadRequest, "bad_request"), StringComparison.Ordinal);
        Assert.Contains("'gate'", await (await alice.GetAsync($"/invocations?gate={Q("a:~")}")).AssertErrorAsync(HttpStatusCode.BadRequest, "bad_path"), StringComparison.Ordinal);
        await (await alice.GetAsync($"/invocations/{new string('a', 200)}/logs")).AssertErrorAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Listing_PagesNewestFirst_WithACursor()
    {
        using var alice = await stack.LoginAsync("alice");
        using var bob = await stack.LoginAsync("bob");
        var gate = await BobsEchoGateAsync(bob, "echo-pages");
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await InvokeAsync(alice, gate, new { marker = i }));
        }

        var first = await (await alice.GetAsync($"/invocations?gate={Q(gate)}&limit=2")).OkJsonAsync();
        var next = first.GetProperty("next").GetString()!;
        var second = await (await alice.GetAsync($"/invocations?gate={Q(gate)}&limit=2&cursor={Q(next)}")).OkJsonAsync();

        var shown = first.GetProperty("invocations").EnumerateArray().Concat(second.GetProperty("invocations").EnumerateArray()).Select(r => r.GetProperty("id").GetString()).ToList();
        Assert.Equal(Enumerable.Reverse(ids), shown);
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next").ValueKind);
    }

    [Fact]
    public async Task Metrics_OnTheOperatorPortOnly_HoldNoPathNameOrLabel()
    {
        using var alice = await stack.LoginAsync("alice");
        using var bob = await stack.LoginAsync("bob");
        var gate = await BobsEchoGateAsync(bob, "echo-metrics-gatename-W4");
        const string file = "home:<alice,alice>:metrics-filename-P2";
        using (var write = await alice.PostAsync($"/fs/file?path={Q(file)}", new StringContent(Secret)))
        {
            await write.OkJsonAsync(HttpStatusCode.Created);
        }

        await InvokeAsync(alice, gate, new { marker = "metrics-payload-V8", path = file });

        using var operatorClient = new HttpClient { BaseAddress = stack.Server.OperatorAddress };
        var text = await operatorClient.GetStringAsync("/metrics");
        Assert.Contains("faasten_invocations_total{", text, StringComparison.Ordinal);
        Assert.Contains("status=\"ok\"", text, StringComparison.Ordinal);
        Assert.Contains("faasten_cloudcalls_total{", text, StringComparison.Ordinal);
        Assert.Contains("kind=\"fs_read\"", text, StringComparison.Ordinal);
        Assert.Contains("faasten_invocation_run_time_seconds_bucket", text, StringComparison.Ordinal);
        Assert.Contains("faasten_http_requests_total{", text, StringComparison.Ordinal);
        foreach (var datum in new[] { "alice", "bob", "gatename-W4", "filename-P2", "payload-V8", Secret, "home", "<", "%3C" })
        {
            Assert.DoesNotContain(datum, text, StringComparison.OrdinalIgnoreCase);
        }

        // The public port has no metrics.
        await (await alice.GetAsync("/metrics")).AssertErrorAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Health_AndReadiness_OnThePublicPort()
    {
        using var anonymous = stack.Anonymous();

        Assert.Equal("ok", (await (await anonymous.GetAsync("/healthz")).OkJsonAsync()).GetProperty("status").GetString());
        Assert.Equal("ready", (await (await anonymous.GetAsync("/readyz")).OkJsonAsync()).GetProperty("status").GetString());
    }
}

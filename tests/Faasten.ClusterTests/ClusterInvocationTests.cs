using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Faasten.ClusterTests.Stack;
using Faasten.FunctionalTests.Stack;

namespace Faasten.ClusterTests;

/// <summary>One cluster fixture (2 gateways, 2 workers of one slot each) shared by the invocation tests.</summary>
public sealed class OneSlotClusterFixture : IAsyncLifetime
{
    public ClusterStack Stack { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Stack = await ClusterStack.StartAsync(new ClusterShape { SlotsPerWorker = 1 }, "alice", "bob");
        using var alice = await Stack.SignInAsync("alice", 0);
        await ClusterFunctions.RegisterAsync(alice, "chain", ClusterFunctions.Chain);
        await ClusterFunctions.RegisterAsync(alice, "sleeper", ClusterFunctions.Sleeper, clearance: "T");
        await ClusterFunctions.RegisterAsync(alice, "reader", ClusterFunctions.Reader, privilege: "alice/reader", clearance: "T");
    }

    public async Task DisposeAsync() => await Stack.DisposeAsync();
}

/// <summary>Invocations through a cluster: across gateways, across workers, under the same release rules as one process.</summary>
public sealed partial class ClusterInvocationTests(OneSlotClusterFixture cluster) : IClassFixture<OneSlotClusterFixture>
{
    private ClusterStack Stack => cluster.Stack;

    [Fact]
    public async Task AsyncInvocation_SubmittedOnOneGateway_IsAnsweredByTheOther_UnderItsLabel()
    {
        using var alice0 = await Stack.SignInAsync("alice", 0);
        using var alice1 = await Stack.SignInAsync("alice", 1);
        using var bob1 = await Stack.SignInAsync("bob", 1);
        using (var wrote = await alice0.PostAsync($"/fs/file?path={Api.Q("home:<alice,alice>:note")}&label={Api.Q("alice,alice")}", new StringContent("for alice only")))
        {
            Assert.True(wrote.IsSuccessStatusCode, await wrote.Content.ReadAsStringAsync());
        }

        var submitted = await (await alice0.PostAsJsonAsync("/invoke", new { path = "home:<T,alice>:reader", payload = new { path = "home:<alice,alice>:note" }, sync = false }))
            .OkJsonAsync(HttpStatusCode.Accepted);
        var id = submitted.GetProperty("id").GetString()!;

        using (var fetched = await alice1.WaitForResultAsync(id))
        {
            Assert.Equal("for alice only", (await fetched.OkJsonAsync()).GetProperty("text").GetString());
        }

        // Bob, on the gateway that answered alice, learns nothing: the fixed withheld answer.
        using (var forBob = await bob1.GetAsync($"/invocations/{id}"))
        {
            Assert.DoesNotContain("alice only", await forBob.AssertWithheldAsync(), StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// The record, logs and trail a worker keeps are in PostgreSQL, so the other gateway answers
    /// for them, under the record's label: alice reads them there, bob gets the unknown-id answer.
    /// </summary>
    [Fact]
    public async Task InvocationRecord_KeptByAWorker_IsListedAndReadOnTheOtherGateway_UnderItsLabel()
    {
        using var alice0 = await Stack.SignInAsync("alice", 0);
        using var alice1 = await Stack.SignInAsync("alice", 1);
        using var bob1 = await Stack.SignInAsync("bob", 1);
        using (var wrote = await alice0.PostAsync($"/fs/file?path={Api.Q("home:<alice,alice>:recorded")}&label={Api.Q("alice,alice")}", new StringContent("kept")))
        {
            Assert.True(wrote.IsSuccessStatusCode, await wrote.Content.ReadAsStringAsync());
        }

        var submitted = await (await alice0.PostAsJsonAsync("/invoke", new { path = "home:<T,alice>:reader", payload = new { path = "home:<alice,alice>:recorded" }, sync = false }))
            .OkJsonAsync(HttpStatusCode.Accepted);
        var id = submitted.GetProperty("id").GetString()!;
        (await alice1.WaitForResultAsync(id)).Dispose();

        // Records are written in batches after the reply, so the other gateway may see one a moment later.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        HttpResponseMessage record;
        while ((record = await alice1.GetAsync($"/invocations/{id}/record")).StatusCode != HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            record.Dispose();
            await Task.Delay(100);
        }

        using (record)
        {
            var json = await record.OkJsonAsync();
            Assert.Equal(id, json.GetProperty("id").GetString());
            Assert.Equal("home:<T,alice>:reader", json.GetProperty("gate").GetString());
            Assert.False(string.IsNullOrEmpty(json.GetProperty("worker").GetString()));
            Assert.Equal(JsonValueKind.Array, json.GetProperty("trail").ValueKind);
        }

        using (var listed = await alice1.GetAsync("/invocations?limit=1000"))
        {
            Assert.Contains(id, await listed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var forBob = await bob1.GetAsync($"/invocations/{id}/record"))
        {
            Assert.Equal(HttpStatusCode.NotFound, forBob.StatusCode);
        }

        using (var bobsList = await bob1.GetAsync("/invocations?limit=1000"))
        {
            Assert.DoesNotContain(id, await bobsList.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// Two chains of nested sync calls, each deeper than all the slots of the cluster (two),
    /// started together so both slots are held by the chains' first levels: every nested call
    /// must run without a slot. Were nested calls queued for a free slot like requests from
    /// outside, neither chain could ever finish.
    /// </summary>
    [Fact]
    public async Task NestedSyncChains_DeeperThanAllSlots_CompleteAcrossBothWorkers()
    {
        using var alice0 = await Stack.SignInAsync("alice", 0);
        using var alice1 = await Stack.SignInAsync("alice", 1);
        const int depth = 5;

        var chains = await Stack.WithDiagnosticsAsync(() => Task.WhenAll(
            alice0.PostAsJsonAsync("/invoke", new { path = "home:<T,alice>:chain", payload = new { n = depth, self = "home:<T,alice>:chain" } }),
            alice1.PostAsJsonAsync("/invoke", new { path = "home:<T,alice>:chain", payload = new { n = depth, self = "home:<T,alice>:chain" } })));

        foreach (var chain in chains)
        {
            using (chain)
            {
                Assert.Equal(depth, (await chain.OkJsonAsync()).GetProperty("depth").GetInt32());
            }
        }

        // Each worker ran one of the chains' first levels (one slot each, both busy at once), and
        // the nested levels went to whichever worker took them.
        Assert.Equal(1, QueuedChainRuns(Stack.WorkerOutput(0)));
        Assert.Equal(1, QueuedChainRuns(Stack.WorkerOutput(1)));
        Assert.Equal(2 * depth, NestedChainRuns(Stack.WorkerOutput(0)) + NestedChainRuns(Stack.WorkerOutput(1)));
    }

    [Fact]
    public async Task Token_IssuedByOneGateway_IsValidOnTheOther()
    {
        using var alice0 = await Stack.SignInAsync("alice", 0);
        using var alice1 = Stack.Client(1, alice0.DefaultRequestHeaders.Authorization!.Parameter);

        var me = await (await alice1.GetAsync("/auth/me")).OkJsonAsync();

        Assert.Equal("alice", me.GetProperty("user").GetString());
    }

    private static int QueuedChainRuns(string output) => QueuedChain().Matches(output).Count;

    private static int NestedChainRuns(string output) => NestedChain().Matches(output).Count;

    [GeneratedRegex(@"Queued invocation \S+ of home:<T,alice>:chain \(depth 0, delivery 1\) finished Ok")]
    private static partial Regex QueuedChain();

    [GeneratedRegex(@"Nested invocation \S+ of home:<T,alice>:chain \(depth \d+\) finished Ok")]
    private static partial Regex NestedChain();
}

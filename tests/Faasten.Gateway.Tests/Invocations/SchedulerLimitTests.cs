using System.Net;
using System.Net.Http.Json;
using Faasten.Gateway.Tests.TestSupport;
using Faasten.Worker.Hosting;

namespace Faasten.Gateway.Tests.Invocations;

/// <summary>Backpressure and graceful shutdown, each on its own small server.</summary>
public sealed class SchedulerLimitTests
{
    [Fact]
    public async Task FullQueue_Is429()
    {
        await using var h = await GatewayHarness.StartAsync(worker: new WorkerOptions { QueueCapacity = 1, Slots = 1 });
        using var alice = await h.ClientAsync("alice");
        var gate = await CreateSlowGateAsync(h, alice);

        // One runs, one waits in the queue: the third finds it full.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await alice.PostAsJsonAsync("/invoke", new { path = gate, payload = new { ms = 2000 }, sync = false });
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await response.AssertErrorAsync(HttpStatusCode.TooManyRequests, "queue_full");
            }
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.Equal(HttpStatusCode.Accepted, statuses[0]);
    }

    [Fact]
    public async Task BobFloodsTheQueue_AliceStillGetsIn()
    {
        // Issue 12 item 10: bob filled the shared queue and alice got 429. Now bob fills only his share.
        await using var h = await GatewayHarness.StartAsync(worker: new WorkerOptions { Slots = 1, QueueCapacity = 8, MaxQueuedPerInvoker = 2 });
        using var alice = await h.ClientAsync("alice");
        using var bob = await h.ClientAsync("bob");
        var gate = "home:<T,bob>:slow";
        var image = await h.ImageAsync("slow");
        (await bob.PostAsJsonAsync("/gates", new { path = gate, blob = image, privilege = "bob", clearance = "T" })).EnsureSuccessStatusCode();

        var bobs = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            using var response = await bob.PostAsJsonAsync("/invoke", new { path = gate, payload = new { ms = 500 }, sync = false });
            bobs.Add(response.StatusCode);
        }

        using var alices = await alice.PostAsJsonAsync("/invoke", new { path = gate, payload = new { ms = 1 }, sync = false });

        Assert.Contains(HttpStatusCode.TooManyRequests, bobs);
        Assert.Equal(HttpStatusCode.Accepted, alices.StatusCode);
    }

    [Fact]
    public async Task Stop_DrainsInFlightSyncAndQueuedAsyncInvocations()
    {
        var h = await GatewayHarness.StartAsync();
        try
        {
            using var alice = await h.ClientAsync("alice");
            var gate = await CreateSlowGateAsync(h, alice);
            using var submitted = await alice.PostAsJsonAsync("/invoke", new { path = gate, payload = new { ms = 400 }, sync = false });
            var asyncId = (await submitted.JsonAsync()).GetProperty("id").GetString()!;
            var sync = alice.PostAsJsonAsync("/invoke", new { path = gate, payload = new { ms = 400 } });
            while (h.Runner.Received.Count < 2)
            {
                await Task.Delay(10);
            }

            await h.Server.StopAsync();

            using var syncResponse = await sync;
            Assert.Equal(HttpStatusCode.OK, syncResponse.StatusCode);
            Assert.Contains(asyncId, h.Runner.Completed);
            Assert.Equal(2, h.Runner.Completed.Count);
        }
        finally
        {
            await h.DisposeAsync();
        }
    }

    private static async Task<string> CreateSlowGateAsync(GatewayHarness h, HttpClient alice)
    {
        var gate = "home:<T,alice>:slow";
        var image = await h.ImageAsync("slow");
        (await alice.PostAsJsonAsync("/gates", new { path = gate, blob = image, privilege = "alice", clearance = "T" })).EnsureSuccessStatusCode();
        return gate;
    }
}

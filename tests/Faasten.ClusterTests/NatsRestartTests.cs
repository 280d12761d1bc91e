using System.Net;
using System.Net.Http.Json;
using Faasten.ClusterTests.Stack;
using Faasten.FunctionalTests.Stack;

namespace Faasten.ClusterTests;

/// <summary>nats-server killed and started again: queued async invocations survive (the stream is on disk), and every process reconnects.</summary>
public sealed class NatsRestartTests(NatsRestartFixture cluster) : IClassFixture<NatsRestartFixture>
{
    private ClusterStack Stack => cluster.Stack;

    [Fact]
    public async Task NatsRestarted_QueuedAsyncInvocationsSurvive_AndTheClusterServesAgain()
    {
        using var alice0 = await Stack.SignInAsync("alice", 0);
        using var alice1 = await Stack.SignInAsync("alice", 1);

        // No worker runs, so the requests stay in the stream across the restart.
        await Stack.KillWorkerAsync(0);
        await Stack.KillWorkerAsync(1);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await (await alice0.PostAsJsonAsync("/invoke", new { path = "home:<T,alice>:sleeper", payload = new { echo = $"queued {i}" }, sync = false }))
                .OkJsonAsync(HttpStatusCode.Accepted)).GetProperty("id").GetString()!);
        }

        await Stack.RestartNatsAsync();
        await Task.WhenAll(Stack.StartWorkerAsync(0), Stack.StartWorkerAsync(1));

        await Stack.WithDiagnosticsAsync(async () =>
        {
            for (var i = 0; i < ids.Count; i++)
            {
                using var result = await alice1.WaitForResultAsync(ids[i]);
                Assert.Equal($"queued {i}", (await result.OkJsonAsync()).GetProperty("echo").GetString());
            }

            // The gateways reconnected by themselves: a sync call through each works.
            foreach (var client in new[] { alice0, alice1 })
            {
                using var sync = await client.PostAsJsonAsync("/invoke", new { path = "home:<T,alice>:sleeper", payload = new { echo = "reconnected" } });
                Assert.Equal("reconnected", (await sync.OkJsonAsync()).GetProperty("echo").GetString());
            }
        });
    }
}

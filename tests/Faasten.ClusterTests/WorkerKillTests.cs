using System.Net;
using System.Net.Http.Json;
using Faasten.ClusterTests.Stack;
using Faasten.FunctionalTests.Stack;

namespace Faasten.ClusterTests;

/// <summary>A worker killed with SIGKILL mid-invocation (docs/cluster.md, "Failures").</summary>
public sealed class WorkerKillTests(WorkerKillFixture cluster) : IClassFixture<WorkerKillFixture>
{
    private ClusterStack Stack => cluster.Stack;

    [Fact]
    public async Task AsyncInvocation_WorkerKilledMidRun_CompletesOnTheOtherWorker()
    {
        using var alice0 = await Stack.SignInAsync("alice", 0);
        using var alice1 = await Stack.SignInAsync("alice", 1);
        var id = (await (await alice0.PostAsJsonAsync("/invoke", new { path = "home:<T,alice>:sleeper", payload = new { seconds = 3, echo = "survived" }, sync = false }))
            .OkJsonAsync(HttpStatusCode.Accepted)).GetProperty("id").GetString()!;

        var victim = await Stack.WorkerRunningAsync(id);
        await Stack.KillWorkerAsync(victim);
        try
        {
            await Stack.WithDiagnosticsAsync(async () =>
            {
                using var result = await alice1.WaitForResultAsync(id);
                Assert.Equal("survived", (await result.OkJsonAsync()).GetProperty("echo").GetString());
            });

            // Redelivered after the lease ran out, to the survivor, which recorded the result.
            Assert.Contains($"Queued invocation {id} of home:<T,alice>:sleeper (depth 0, delivery 2) finished Ok", Stack.WorkerOutput(1 - victim), StringComparison.Ordinal);
        }
        finally
        {
            await Stack.StartWorkerAsync(victim);
        }
    }

    [Fact]
    public async Task SyncInvocation_WorkerKilledMidRun_AnswersCrashed()
    {
        using var alice = await Stack.SignInAsync("alice", 1);
        var call = alice.PostAsJsonAsync("/invoke", new { path = "home:<T,alice>:sleeper", payload = new { seconds = 30, echo = "never" } });

        var victim = await WaitForSyncRunAsync();
        await Stack.KillWorkerAsync(victim);
        try
        {
            // Redelivered to the survivor, which does not run it again but tells the waiting gateway.
            using var response = await Stack.WithDiagnosticsAsync(() => call);
            var message = await response.AssertErrorAsync(HttpStatusCode.BadGateway, "crashed");
            Assert.Contains("stopped before it finished", message, StringComparison.Ordinal);
        }
        finally
        {
            await Stack.StartWorkerAsync(victim);
        }
    }

    /// <summary>The worker running the one sync sleeper in flight (its id is the gateway's, unseen by the test).</summary>
    private async Task<int> WaitForSyncRunAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        var before = new[] { Count(0), Count(1) };
        while (DateTime.UtcNow < deadline)
        {
            for (var i = 0; i < 2; i++)
            {
                if (Count(i) > before[i])
                {
                    return i;
                }
            }

            await Task.Delay(20);
        }

        throw new Xunit.Sdk.XunitException("no worker started the sync call\n" + Stack.Diagnostics());
    }

    private int Count(int worker) =>
        Stack.WorkerOutput(worker).Split('\n').Count(l => l.Contains("of home:<T,alice>:sleeper (delivery 1) started on worker", StringComparison.Ordinal));
}

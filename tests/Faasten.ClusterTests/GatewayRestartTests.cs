using System.Net;
using System.Net.Http.Json;
using Faasten.ClusterTests.Stack;
using Faasten.FunctionalTests.Stack;

namespace Faasten.ClusterTests;

/// <summary>A gateway killed with SIGKILL and started again loses nothing committed and keeps every token valid.</summary>
public sealed class GatewayRestartTests(GatewayRestartFixture cluster) : IClassFixture<GatewayRestartFixture>
{
    private ClusterStack Stack => cluster.Stack;

    [Fact]
    public async Task GatewayKilledAndRestarted_TokensStayValid_AndCommittedDataAndResultsRemain()
    {
        string token;
        string id;
        using (var alice = await Stack.SignInAsync("alice", 0))
        {
            token = alice.DefaultRequestHeaders.Authorization!.Parameter!;
            using (var wrote = await alice.PostAsync($"/fs/file?path={Api.Q("home:<alice,alice>:kept")}&label={Api.Q("alice,alice")}", new StringContent("committed before the kill")))
            {
                Assert.True(wrote.IsSuccessStatusCode, await wrote.Content.ReadAsStringAsync());
            }

            id = (await (await alice.PostAsJsonAsync("/invoke", new { path = "home:<T,alice>:sleeper", payload = new { seconds = 1, echo = "queued" }, sync = false }))
                .OkJsonAsync(HttpStatusCode.Accepted)).GetProperty("id").GetString()!;
        }

        await Stack.KillGatewayAsync(0);
        await Stack.StartGatewayAsync(0);

        using var again = Stack.Client(0, token);
        using (var read = await again.GetAsync($"/fs/file?path={Api.Q("home:<alice,alice>:kept")}"))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.Equal("committed before the kill", await read.Content.ReadAsStringAsync());
        }

        using (var result = await again.WaitForResultAsync(id))
        {
            Assert.Equal("queued", (await result.OkJsonAsync()).GetProperty("echo").GetString());
        }

        using var sync = await again.PostAsJsonAsync("/invoke", new { path = "home:<T,alice>:sleeper", payload = new { echo = "after the restart" } });
        Assert.Equal("after the restart", (await sync.OkJsonAsync()).GetProperty("echo").GetString());
    }
}

using System.Net;
using System.Net.Http.Json;
using Faasten.ClusterTests.Stack;
using Faasten.FunctionalTests.Stack;
using Faasten.Tests.Common.Postgres;

namespace Faasten.ClusterTests;

/// <summary>PostgreSQL briefly unreachable: requests fail with 503, no process dies, and all recover when it returns.</summary>
public sealed class PostgresOutageTests : IAsyncLifetime
{
    private PrivatePostgresServer _postgres = null!;
    private ClusterStack _stack = null!;

    public async Task InitializeAsync()
    {
        _postgres = await PrivatePostgresServer.StartAsync();
        _stack = await ClusterStack.StartAsync(new ClusterShape { SlotsPerWorker = 1, Postgres = _postgres.ConnectionString }, "alice");
        using var alice = await _stack.SignInAsync("alice", 0);
        await ClusterFunctions.RegisterAsync(alice, "sleeper", ClusterFunctions.Sleeper, clearance: "T");
    }

    public async Task DisposeAsync()
    {
        await _stack.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task PostgresDown_RequestsAnswer503_AndRecoverWhenItReturns()
    {
        using var alice = await _stack.SignInAsync("alice", 0);
        using (var wrote = await alice.PostAsync($"/fs/file?path={Api.Q("home:<alice,alice>:before")}&label={Api.Q("alice,alice")}", new StringContent("written before")))
        {
            Assert.True(wrote.IsSuccessStatusCode, await wrote.Content.ReadAsStringAsync());
        }

        await _postgres.StopAsync();
        try
        {
            using (var read = await alice.GetAsync($"/fs/file?path={Api.Q("home:<alice,alice>:before")}"))
            {
                await read.AssertErrorAsync(HttpStatusCode.ServiceUnavailable, "unavailable");
            }

            using (var submitted = await alice.PostAsJsonAsync("/invoke", new { path = "home:<T,alice>:sleeper", payload = new { echo = "x" }, sync = false }))
            {
                await submitted.AssertErrorAsync(HttpStatusCode.ServiceUnavailable, "unavailable");
            }
        }
        finally
        {
            await _postgres.StartAgainAsync();
        }

        await _stack.WithDiagnosticsAsync(async () =>
        {
            // The same processes (none died) serve again, reads, writes and invocations alike,
            // once their pools have dropped the dead connections (a client retries a 503).
            using (var read = await UntilAvailableAsync(() => alice.GetAsync($"/fs/file?path={Api.Q("home:<alice,alice>:before")}")))
            {
                Assert.Equal("written before", await read.Content.ReadAsStringAsync());
            }

            var id = (await (await UntilAvailableAsync(() => alice.PostAsJsonAsync("/invoke", new { path = "home:<T,alice>:sleeper", payload = new { echo = "after" }, sync = false })))
                .OkJsonAsync(HttpStatusCode.Accepted)).GetProperty("id").GetString()!;
            using var result = await alice.WaitForResultAsync(id);
            Assert.Equal("after", (await result.OkJsonAsync()).GetProperty("echo").GetString());
        });
    }

    /// <summary>Sends until the answer is not 503 (bounded), as a client honouring Retry-After does.</summary>
    private static async Task<HttpResponseMessage> UntilAvailableAsync(Func<Task<HttpResponseMessage>> send)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var response = await send();
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || DateTime.UtcNow > deadline)
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(200);
        }
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Faasten.ClusterTests.Stack;
using Faasten.FunctionalTests.Stack;
using Faasten.Tests.Common.Engines;

namespace Faasten.ClusterTests;

/// <summary>
/// S3 unreachable: every process's /readyz names the blob store (and only it), a read or an
/// invocation that needs a blob answers 503, no process dies, and all recover when S3 returns.
/// </summary>
public sealed class S3OutageTests : IAsyncLifetime
{
    private LoopbackService _s3 = null!;
    private ClusterStack _stack = null!;

    public async Task InitializeAsync()
    {
        _s3 = await S3Server.StartAsync();
        _stack = await ClusterStack.StartAsync(new ClusterShape { SlotsPerWorker = 1, S3Endpoint = S3Server.Endpoint(_s3), WorkerProbes = true }, "alice");
        using var alice = await _stack.SignInAsync("alice", 0);
        // Registered, never run: its image is only in S3, so its first run needs the blob store.
        await ClusterFunctions.RegisterAsync(alice, "sleeper", ClusterFunctions.Sleeper, clearance: "T");
    }

    public async Task DisposeAsync()
    {
        await _stack.DisposeAsync();
        await _s3.DisposeAsync();
    }

    [Fact]
    public async Task S3Down_ReadinessNamesBlobs_BlobRequestsAnswer503_AndAllRecover()
    {
        using var alice = await _stack.SignInAsync("alice", 0);
        var photo = "home:<alice,alice>:photo";
        _ = await alice.PutBlobAsync(photo, "a photo's bytes"u8.ToArray(), "alice,alice");
        foreach (var probe in Probes())
        {
            Assert.Equal("ready", (await ReadinessAsync(probe, HttpStatusCode.OK)).GetProperty("status").GetString());
        }

        await _s3.StopAsync();
        try
        {
            foreach (var probe in Probes())
            {
                var unready = await ReadinessAsync(probe, HttpStatusCode.ServiceUnavailable);
                Assert.Equal(["blobs"], unready.GetProperty("failing").EnumerateArray().Select(e => e.GetString()));
                // Named, never described: no endpoint, no key.
                Assert.DoesNotContain("127.0.0.1", unready.GetRawText(), StringComparison.Ordinal);
                Assert.DoesNotContain(S3Server.AccessKey, unready.GetRawText(), StringComparison.Ordinal);
            }

            using (var read = await alice.GetAsync($"/fs/blob?path={Api.Q(photo)}"))
            {
                await read.AssertErrorAsync(HttpStatusCode.ServiceUnavailable, "unavailable");
            }

            using (var invoked = await alice.PostAsJsonAsync("/invoke", new { path = "home:<T,alice>:sleeper", payload = new { echo = "during" }, sync = true }))
            {
                await invoked.AssertErrorAsync(HttpStatusCode.ServiceUnavailable, "unavailable");
            }
        }
        finally
        {
            _s3 = await S3Server.StartAsync(_s3.Directory, _s3.Port);
        }

        await _stack.WithDiagnosticsAsync(async () =>
        {
            foreach (var probe in Probes())
            {
                await UntilReadyAsync(probe);
            }

            // The same processes serve again: the blob, and the function whose image is in S3.
            Assert.Equal("a photo's bytes", await alice.GetStringAsync($"/fs/blob?path={Api.Q(photo)}"));
            using var invoked = await alice.PostAsJsonAsync("/invoke", new { path = "home:<T,alice>:sleeper", payload = new { echo = "after" }, sync = true });
            Assert.Equal("after", (await invoked.OkJsonAsync()).GetProperty("echo").GetString());
        });
    }

    private IEnumerable<Uri> Probes() => _stack.Gateways.Concat(_stack.WorkerProbes).Select(u => u ?? throw new InvalidOperationException("a process is down"));

    private static async Task<JsonElement> ReadinessAsync(Uri process, HttpStatusCode expected)
    {
        using var client = new HttpClient { BaseAddress = process, Timeout = TimeSpan.FromSeconds(30) };
        using var response = await client.GetAsync("/readyz");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{process}readyz: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task UntilReadyAsync(Uri process)
    {
        using var client = new HttpClient { BaseAddress = process, Timeout = TimeSpan.FromSeconds(30) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            using var response = await client.GetAsync("/readyz");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{process}readyz still {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            await Task.Delay(200);
        }
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Faasten.FunctionalTests.Stack;
using Faasten.Tests.Common;
using static Faasten.FunctionalTests.Stack.Api;

namespace Faasten.FunctionalTests.Gateway;

/// <summary>
/// The executables as an operator and a user run them: <c>faasten admin</c>, <c>faasten serve</c>
/// and <c>fstn</c> as separate processes, and SIGTERM draining what is in flight.
/// </summary>
public sealed class ServeProcessTests : IDisposable
{
    private const string Slow = """
        import time

        def handle(event, cloudcall):
            if "started" in event:
                cloudcall.fs_createfile(event["started"], label="T,alice")
            time.sleep(event["sleep"])
            if "mark" in event:
                cloudcall.fs_createfile(event["mark"], label="T,alice")
            return {"slept": event["sleep"]}
        """;

    private readonly TempDirectory _dir = new("fsp");

    [Fact]
    public async Task AdminServeAndFstn_EndToEnd_ThenSigtermDrainsInFlightInvocations()
    {
        var data = _dir.Combine("data");
        var useradd = await ProcessRun.RunAsync("faasten", ["admin", "useradd", "alice", "--data", data], stdin: "alice-pw\n");
        Assert.True(useradd.ExitCode == 0, useradd.Stderr);
        Assert.Equal(1, (await ProcessRun.RunAsync("faasten", ["admin", "useradd", "alice", "--data", data], stdin: "again\n")).ExitCode);

        await using var server = await ServerProcess.StartAsync(data);
        var env = new Dictionary<string, string> { ["FSTN_SERVER"] = server.Address.ToString().TrimEnd('/'), ["XDG_CONFIG_HOME"] = _dir.Combine("config"), ["HOME"] = _dir.Path };
        var login = await ProcessRun.RunAsync("fstn", ["login", "--user", "alice"], stdin: "alice-pw\n", environment: env);
        Assert.True(login.ExitCode == 0, login.Stderr + login.Stdout);

        var source = _dir.Combine("slow");
        Directory.CreateDirectory(source);
        await File.WriteAllTextAsync(Path.Combine(source, "workload.py"), Slow);
        var register = await ProcessRun.RunAsync("fstn", ["register", source, "home:<T,alice>:slow", "--privilege", "alice", "--clearance", "T"], environment: env);
        Assert.True(register.ExitCode == 0, register.Stderr + register.Stdout);
        var invoke = await ProcessRun.RunAsync("fstn", ["invoke", "home:<T,alice>:slow", "{\"sleep\": 0}"], environment: env);
        Assert.True(invoke.ExitCode == 0, invoke.Stderr + invoke.Stdout);
        Assert.Contains("slept", invoke.Stdout, StringComparison.Ordinal);

        // A token minted offline works against the running server.
        var token = await ProcessRun.RunAsync("faasten", ["admin", "token", "alice", "--data", data, "--ttl", "600"]);
        Assert.Equal(0, token.ExitCode);
        using var client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Stdout.Trim());
        Assert.Equal("alice", (await (await client.GetAsync("/auth/me")).OkJsonAsync()).GetProperty("user").GetString());

        // In flight at SIGTERM: one sync request and one queued async invocation that leaves a mark.
        await (await client.PostAsync($"/fs/dir?path={Q("home:<T,alice>:marks")}", null)).OkJsonAsync(HttpStatusCode.Created);
        await (await client.PostAsJsonAsync("/invoke", new { path = "home:<T,alice>:slow", payload = new { sleep = 1.5, mark = "home:<T,alice>:marks:async" }, sync = false }))
            .OkJsonAsync(HttpStatusCode.Accepted);
        var sync = client.PostAsJsonAsync("/invoke", new { path = "home:<T,alice>:slow", payload = new { sleep = 1.5, started = "home:<T,alice>:marks:sync-started" } });
        await WaitForAsync(client, "home:<T,alice>:marks:sync-started");

        var exit = await server.TerminateAsync(TimeSpan.FromSeconds(60));

        using (var syncResponse = await sync)
        {
            Assert.Equal(1.5, (await syncResponse.OkJsonAsync()).GetProperty("slept").GetDouble());
        }

        Assert.True(exit == 0, $"exit {exit}:\n{server.Output}");
        Assert.Contains("draining", server.Output, StringComparison.Ordinal);

        // The async invocation finished before the process exited: its mark is in the store.
        await using var again = await ServerProcess.StartAsync(data);
        using var after = new HttpClient { BaseAddress = again.Address };
        after.DefaultRequestHeaders.Authorization = client.DefaultRequestHeaders.Authorization;
        var marks = await (await after.GetAsync($"/fs/list?path={Q("home:<T,alice>:marks")}")).OkJsonAsync();
        Assert.Contains("async", marks.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Serve_BadListenAddress_ExitsWithUsageError()
    {
        var run = await ProcessRun.RunAsync("faasten", ["serve", "--data", _dir.Combine("d"), "--listen", "nowhere"]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("HOST:PORT", run.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    private static async Task WaitForAsync(HttpClient client, string path)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (true)
        {
            using var stat = await client.GetAsync($"/fs/stat?path={Q(path)}");
            if (stat.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{path} never appeared");
            await Task.Delay(50);
        }
    }
}

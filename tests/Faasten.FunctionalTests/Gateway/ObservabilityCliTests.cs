using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Faasten.FunctionalTests.Stack;
using Faasten.Tests.Common;
using static Faasten.FunctionalTests.Stack.Api;

namespace Faasten.FunctionalTests.Gateway;

/// <summary>
/// <c>fstn logs</c>, <c>fstn invocations</c> and <c>fstn invoke --logs</c> through the built
/// executable against the whole stack, as alice and as bob, with their bad-input cases.
/// </summary>
public sealed class ObservabilityCliTests(EmbeddedStack stack) : IClassFixture<EmbeddedStack>, IDisposable
{
    private const string Talk = """
        import sys
        def handle(event, cloudcall):
            if "path" in event:
                print("read:", cloudcall.fs_read(event["path"]).decode())
            sys.stderr.write("talked " + str(event.get("n")) + "\n")
            if event.get("fail"):
                raise ValueError("asked to fail")
            return {"n": event.get("n")}
        """;

    private readonly TempDirectory _dir = new("fcli");

    public void Dispose() => _dir.Dispose();

    private async Task<Dictionary<string, string>> EnvironmentAsync(string user)
    {
        using var client = await stack.LoginAsync(user);
        return new Dictionary<string, string>
        {
            ["FSTN_SERVER"] = stack.Server.Address.ToString().TrimEnd('/'),
            ["FSTN_TOKEN"] = client.DefaultRequestHeaders.Authorization!.Parameter!,
            ["XDG_CONFIG_HOME"] = _dir.Combine("config-" + user),
            ["HOME"] = _dir.Path,
        };
    }

    private static Task<(int ExitCode, string Stdout, string Stderr)> Fstn(Dictionary<string, string> env, params string[] args) =>
        ProcessRun.RunAsync("fstn", args, environment: env);

    private async Task<string> TalkGateAsync(string name)
    {
        using var bob = await stack.LoginAsync("bob");
        var image = $"home:<T,bob>:{name}.img";
        _ = await bob.PutBlobAsync(image, await FunctionImage.FromWorkloadAsync(Talk));
        var gate = $"home:<T,bob>:{name}";
        await (await bob.PostAsJsonAsync("/gates", new { path = gate, blob = image, privilege = "bob", clearance = "T" })).OkJsonAsync(HttpStatusCode.Created);
        return gate;
    }

    [Fact]
    public async Task InvokeWithLogs_ThenLogsAndInvocations_AsAliceAndAsBob()
    {
        var gate = await TalkGateAsync("talk-cli");
        var alice = await EnvironmentAsync("alice");
        var bob = await EnvironmentAsync("bob");
        using (var client = await stack.LoginAsync("alice"))
        using (var write = await client.PostAsync($"/fs/file?path={Q("home:<alice,alice>:cli-secret")}", new StringContent("s3cr3t-cli")))
        {
            await write.OkJsonAsync(HttpStatusCode.Created);
        }

        // invoke --logs: the result on stdout, the function's output on stderr.
        var invoke = await Fstn(alice, "invoke", gate, """{"n": 7, "path": "home:<alice,alice>:cli-secret"}""", "--logs");
        Assert.True(invoke.ExitCode == 0, invoke.Stderr);
        Assert.Contains("\"n\": 7", invoke.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("talked", invoke.Stdout, StringComparison.Ordinal);
        Assert.Contains("read: s3cr3t-cli", invoke.Stderr, StringComparison.Ordinal);
        Assert.Contains("talked 7", invoke.Stderr, StringComparison.Ordinal);

        // invocations: listed with its id; then shown with its trail.
        var list = await Fstn(alice, "--json", "invocations", "--gate", gate);
        Assert.True(list.ExitCode == 0, list.Stderr);
        var id = JsonDocument.Parse(list.Stdout).RootElement.GetProperty("invocations")[0].GetProperty("id").GetString()!;
        var table = await Fstn(alice, "invocations", "--gate", gate, "--limit", "5");
        Assert.Contains(id, table.Stdout, StringComparison.Ordinal);
        Assert.Contains("cold", table.Stdout, StringComparison.Ordinal);
        var shown = await Fstn(alice, "invocations", id, "--trail");
        Assert.True(shown.ExitCode == 0, shown.Stderr);
        Assert.Contains("status    ok", shown.Stdout, StringComparison.Ordinal);
        Assert.Contains("trail:", shown.Stdout, StringComparison.Ordinal);
        Assert.Contains("read home:<alice,alice>:cli-secret", shown.Stdout, StringComparison.Ordinal);

        // logs: as written.
        var logs = await Fstn(alice, "logs", id);
        Assert.True(logs.ExitCode == 0, logs.Stderr);
        Assert.Contains("read: s3cr3t-cli\n", logs.Stdout, StringComparison.Ordinal);

        // Bob, whose function it is: nothing, and the same answer as for an id that never was.
        var bobLogs = await Fstn(bob, "logs", id);
        var bobNone = await Fstn(bob, "logs", "0123456789abcdef0123456789abcdef");
        Assert.Equal(1, bobLogs.ExitCode);
        Assert.Equal(bobNone.Stderr, bobLogs.Stderr);
        Assert.DoesNotContain("s3cr3t", bobLogs.Stdout + bobLogs.Stderr, StringComparison.Ordinal);
        var bobRecord = await Fstn(bob, "invocations", id, "--trail");
        Assert.Equal(1, bobRecord.ExitCode);
        Assert.DoesNotContain("cli-secret", bobRecord.Stdout + bobRecord.Stderr, StringComparison.Ordinal);
        var bobList = await Fstn(bob, "--json", "invocations", "--gate", gate);
        Assert.Equal(0, bobList.ExitCode);
        Assert.Equal(0, JsonDocument.Parse(bobList.Stdout).RootElement.GetProperty("invocations").GetArrayLength());
    }

    [Fact]
    public async Task InvokeWithLogs_OfAFailingFunction_ShowsItsOutput()
    {
        var gate = await TalkGateAsync("talk-fail");
        var alice = await EnvironmentAsync("alice");

        var invoke = await Fstn(alice, "invoke", gate, """{"n": 3, "fail": true}""", "--logs");

        Assert.Equal(1, invoke.ExitCode);
        Assert.Contains("asked to fail", invoke.Stderr, StringComparison.Ordinal);
        Assert.Contains("talked 3", invoke.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "logs", "not-an-id!" }, "not an invocation id")]
    [InlineData(new[] { "logs" }, "Required argument missing")]
    [InlineData(new[] { "invocations", "--limit", "0" }, "--limit")]
    [InlineData(new[] { "invocations", "--limit", "1001" }, "--limit")]
    [InlineData(new[] { "invocations", "--limit", "many" }, "many")]
    [InlineData(new[] { "invocations", "--trail" }, "--trail")]
    [InlineData(new[] { "invocations", "0123456789abcdef0123456789abcdef", "--gate", "~:x" }, "do not go with an ID")]
    [InlineData(new[] { "invocations", "--gate", "a:~" }, "~")]
    [InlineData(new[] { "invoke", "~:x", "{}", "--async", "--logs" }, "--logs")]
    public async Task BadInput_Exits2_SayingWhat(string[] args, string said)
    {
        var alice = await EnvironmentAsync("alice");

        var run = await Fstn(alice, args);

        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}: {run.Stdout}{run.Stderr}");
        Assert.Contains(said, run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadCursor_IsTheServersNamed400()
    {
        var alice = await EnvironmentAsync("alice");

        var run = await Fstn(alice, "invocations", "--cursor", "nonsense");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("'cursor'", run.Stderr, StringComparison.Ordinal);
    }
}

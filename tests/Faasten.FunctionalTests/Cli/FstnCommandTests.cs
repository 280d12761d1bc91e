using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Faasten.FunctionalTests.Stack;
using Faasten.Tests.Common;

namespace Faasten.FunctionalTests.Cli;

/// <summary>
/// The commands that cover the API, through the <c>fstn</c> executable against the whole stack
/// (real VMs): what each does, its bad input (exit 2, the option named), and what bob gets of
/// alice's.
/// </summary>
public sealed partial class FstnCommandTests(EmbeddedStack stack) : IClassFixture<EmbeddedStack>, IDisposable
{
    private const string EnvWorkload = """
        import os

        def handle(event, cloudcall):
            return {"greeting": os.environ.get("GREETING"), "mode": os.environ.get("MODE")}
        """;

    private readonly TempDirectory _dir = new("fcli");
    private readonly string _id = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Register_WithEnvTimeoutDeclassify_GateShowReadsItBack_AndTheFunctionSeesItsEnv()
    {
        var alice = await Fstn.AsAsync(stack, "alice", _dir.Path);
        var bob = await Fstn.AsAsync(stack, "bob", _dir.Path);
        var function = _dir.Combine("envfn");
        Directory.CreateDirectory(function);
        await File.WriteAllTextAsync(Path.Combine(function, "workload.py"), EnvWorkload);
        var gate = $"home:<T,alice>:env-{_id}";

        await alice.ExpectAsync(0, "register", function, gate, "--privilege", "alice", "--clearance", "T", "--declassify", "alice",
            "--timeout", "10", "--memory", "64", "--env", "GREETING=hello", "--env", "MODE=a=b");

        var shown = await alice.ExpectAsync(0, "gate", "show", gate);
        foreach (var line in new[] { "kind: gate", "label: alice,alice", "privilege: alice", "clearance: T", "declassify: alice", "runtime: python3", "memory: 64 MB", "timeout: 10000 ms", "  GREETING=hello", "  MODE=a=b" })
        {
            Assert.Contains(line, shown.Split('\n').Select(l => l.TrimEnd()));
        }
        Assert.Matches(ImageLine(), shown);
        Assert.Contains("\"timeout\":10000", await alice.ExpectAsync(0, "gate", "show", gate, "--json"), StringComparison.Ordinal);

        var invoked = await alice.ExpectAsync(0, "invoke", gate);
        Assert.Contains("\"greeting\": \"hello\"", invoked, StringComparison.Ordinal);
        Assert.Contains("\"mode\": \"a=b\"", invoked, StringComparison.Ordinal);

        // The same gate, private: bob learns neither its fields nor whether a name exists.
        var hidden = $"home:<alice,alice>:env-{_id}";
        await alice.ExpectAsync(0, "register", function, hidden, "--privilege", "alice", "--clearance", "alice", "--env", "TOKEN_HINT=abc");
        foreach (var path in new[] { hidden, $"home:<alice,alice>:none-{_id}" })
        {
            var denied = await bob.ExpectAsync(1, "gate", "show", path);
            Assert.Contains("(withheld)", denied, StringComparison.Ordinal);
            Assert.DoesNotContain("abc", denied, StringComparison.Ordinal);
        }

        // Bad input: named, exit 2, nothing registered.
        Assert.Contains("--env 'NOEQUALS' must be NAME=VALUE", await alice.ExpectAsync(2, "register", function, gate, "--privilege", "alice", "--clearance", "T", "--env", "NOEQUALS"), StringComparison.Ordinal);
        Assert.Contains("--env gives 'A' twice", await alice.ExpectAsync(2, "register", function, gate, "--privilege", "alice", "--clearance", "T", "--env", "A=1", "--env", "A=2"), StringComparison.Ordinal);
        Assert.Contains("--timeout must be 0.001–900 seconds", await alice.ExpectAsync(2, "register", function, gate, "--privilege", "alice", "--clearance", "T", "--timeout", "0"), StringComparison.Ordinal);
        Assert.Contains("--declassify 'a,,' is not a valid component", await alice.ExpectAsync(2, "register", function, gate, "--privilege", "alice", "--clearance", "T", "--declassify", "a,,"), StringComparison.Ordinal);
        var node = await alice.ExpectAsync(2, "register", function, gate, "--privilege", "alice", "--clearance", "T", "--runtime", "node20");
        Assert.Contains("unknown runtime in 'runtime': 'node20'; known runtimes: python3 (bad_request)", node, StringComparison.Ordinal);
        Assert.DoesNotContain("/tmp", node, StringComparison.Ordinal);
        Assert.Contains("bad name in 'env': '1X'", await alice.ExpectAsync(2, "register", function, gate, "--privilege", "alice", "--clearance", "T", "--env", "1X=y"), StringComparison.Ordinal);
        await alice.ExpectAsync(2, "gate", "show");
        Assert.Contains("'home:<T,alice>' is a Directory, not a Gate (bad_request)", await alice.ExpectAsync(2, "gate", "show", "home:<T,alice>"), StringComparison.Ordinal);
        Assert.Contains("\"mode\": \"a=b\"", await alice.ExpectAsync(0, "invoke", gate), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Service_CreateShowUpdate_HeaderValuesNeverShown_AndBobCannotChangeIt()
    {
        var alice = await Fstn.AsAsync(stack, "alice", _dir.Path);
        var bob = await Fstn.AsAsync(stack, "bob", _dir.Path);
        var path = $"home:<T,alice>:svc-{_id}";
        string[] policy = ["--taint", "alice,T", "--privilege", "alice", "--clearance", "T"];

        Assert.Equal($"created service {path}\n", await alice.ExpectAsync(0, ["service", "create", path, "--url", "https://api.example.com/{q}", "--header", "Authorization: Bearer ALICE-KEY", .. policy]));
        Assert.Contains("(exists)", await alice.ExpectAsync(1, ["service", "create", path, "--url", "https://api.example.com/{q}", .. policy]), StringComparison.Ordinal);
        await alice.ExpectAsync(0, ["service", "update", path, "--url", "https://api.example.com/v2/{q}", "--verb", "POST", "--header", "Authorization: Bearer ALICE-KEY-2", .. policy]);

        var shown = await bob.ExpectAsync(0, "service", "show", path);
        Assert.Contains("url: https://api.example.com/v2/{q}", shown, StringComparison.Ordinal);
        Assert.Contains("verb: POST", shown, StringComparison.Ordinal);
        Assert.Contains("headers: Authorization", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("ALICE-KEY", shown, StringComparison.Ordinal);

        Assert.Contains("(label_denied)", await bob.ExpectAsync(1, "service", "update", path, "--url", "https://evil.example/", "--taint", "bob,T", "--privilege", "bob", "--clearance", "T"), StringComparison.Ordinal);
        Assert.Contains("(privilege_denied)", await bob.ExpectAsync(1, "service", "create", $"home:<T,bob>:svc-{_id}", "--url", "https://x.example/", "--taint", "alice,T", "--privilege", "bob", "--clearance", "T"), StringComparison.Ordinal);
        Assert.Contains("--header 'NoColon' must be NAME:VALUE", await alice.ExpectAsync(2, ["service", "create", path, "--url", "u", "--header", "NoColon", .. policy]), StringComparison.Ordinal);
        Assert.Contains("--label applies on creation only", await alice.ExpectAsync(2, ["service", "update", path, "--url", "u", "--label", "T,alice", .. policy]), StringComparison.Ordinal);
        Assert.Contains("--url", await alice.ExpectAsync(2, ["service", "create", path, .. policy]), StringComparison.Ordinal);
        Assert.Contains("(not_found)", await alice.ExpectAsync(1, ["service", "update", $"home:<T,alice>:nosvc-{_id}", "--url", "https://x.example/", .. policy]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TriggerCreate_PrintsAHookUrlThatTakesASignedDelivery()
    {
        var alice = await Fstn.AsAsync(stack, "alice", _dir.Path);
        var bob = await Fstn.AsAsync(stack, "bob", _dir.Path);
        var function = _dir.Combine("hookfn");
        Directory.CreateDirectory(function);
        await File.WriteAllTextAsync(Path.Combine(function, "workload.py"), "def handle(event, cloudcall):\n    return {'event': event['event']}\n");
        var gate = $"home:<T,alice>:hookgate-{_id}";
        await alice.ExpectAsync(0, "register", function, gate, "--privilege", "alice", "--clearance", "alice");
        var path = $"home:<T,alice>:hook-{_id}";

        var printed = await alice.ExpectAsync(0, "trigger", "create", path, "--gate", gate, "--privilege", "alice", "--payload-label", "T,T");
        var url = Regex.Match(printed, "^hook URL: (\\S+)$", RegexOptions.Multiline).Groups[1].Value;
        var secret = Regex.Match(printed, "^secret: ([0-9a-f]{64}) ", RegexOptions.Multiline).Groups[1].Value;
        Assert.StartsWith(stack.Server.Address.AbsoluteUri + "hooks/", url, StringComparison.Ordinal);
        Assert.Equal(64, secret.Length);

        var body = "{\"zen\":\"ok\"}"u8.ToArray();
        using var http = new HttpClient();
        using var delivery = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        delivery.Headers.Add("X-GitHub-Event", "push");
        delivery.Headers.Add("X-GitHub-Delivery", _id);
        delivery.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)));
        using var accepted = await http.SendAsync(delivery);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

        // A given secret is not printed back.
        var given = await alice.ExpectAsync(0, "trigger", "create", $"{path}-2", "--gate", gate, "--privilege", "alice", "--payload-label", "T,T", "--secret", "s3cret-value");
        Assert.DoesNotContain("s3cret-value", given, StringComparison.Ordinal);

        Assert.Contains("(privilege_denied)", await bob.ExpectAsync(1, "trigger", "create", $"home:<T,bob>:hook-{_id}", "--gate", gate, "--privilege", "alice", "--payload-label", "T,T"), StringComparison.Ordinal);
        Assert.Contains("--payload-label 'T,,' is not a valid label", await alice.ExpectAsync(2, "trigger", "create", path, "--gate", gate, "--privilege", "alice", "--payload-label", "T,,"), StringComparison.Ordinal);
        Assert.Contains("--secret must not be empty", await alice.ExpectAsync(2, "trigger", "create", path, "--gate", gate, "--privilege", "alice", "--payload-label", "T,T", "--secret", ""), StringComparison.Ordinal);
        Assert.Contains("--gate", await alice.ExpectAsync(2, "trigger", "create", path, "--privilege", "alice", "--payload-label", "T,T"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScheduleCreate_ChecksCronPayloadAndPrivilege()
    {
        var alice = await Fstn.AsAsync(stack, "alice", _dir.Path);
        var bob = await Fstn.AsAsync(stack, "bob", _dir.Path);
        var path = $"home:<T,alice>:nightly-{_id}";
        const string gate = "home:<T,alice>:anything";

        Assert.Equal($"created schedule {path}\n", await alice.ExpectAsync(0, "schedule", "create", path, "--cron", "0 3 * * *", "--gate", gate, "--privilege", "alice", "--payload", "{\"full\": true}"));
        Assert.Contains("schedule", await alice.ExpectAsync(0, "ls", "home:<T,alice>"), StringComparison.Ordinal);
        Assert.Contains("(exists)", await alice.ExpectAsync(1, "schedule", "create", path, "--cron", "0 3 * * *", "--gate", gate, "--privilege", "alice"), StringComparison.Ordinal);
        Assert.Contains("(privilege_denied)", await bob.ExpectAsync(1, "schedule", "create", $"home:<T,bob>:steal-{_id}", "--cron", "* * * * *", "--gate", gate, "--privilege", "alice"), StringComparison.Ordinal);
        Assert.Contains("bad cron expression in 'cron'", await alice.ExpectAsync(2, "schedule", "create", $"{path}-x", "--cron", "61 * * * *", "--gate", gate, "--privilege", "alice"), StringComparison.Ordinal);
        Assert.Contains("--payload is not JSON", await alice.ExpectAsync(2, "schedule", "create", $"{path}-x", "--cron", "* * * * *", "--gate", gate, "--privilege", "alice", "--payload", "{nope"), StringComparison.Ordinal);
        Assert.Contains("--cron", await alice.ExpectAsync(2, "schedule", "create", $"{path}-x", "--gate", gate, "--privilege", "alice"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_DelegatesASubPrivilege_AndNothingMore()
    {
        var alice = await Fstn.AsAsync(stack, "alice", _dir.Path);
        var token = (await alice.ExpectAsync(0, "token", "alice/ci", "--ttl", "600")).Trim();
        var ci = new Fstn(stack, token, _dir.Path);
        Assert.Contains("alice (privilege alice/ci)", await ci.ExpectAsync(0, "whoami"), StringComparison.Ordinal);
        Assert.Contains("\"privilege\":\"alice/ci/deploy\"", await ci.ExpectAsync(0, "token", "alice/ci/deploy", "--json"), StringComparison.Ordinal);

        Assert.Contains("(privilege_denied)", await ci.ExpectAsync(1, "token", "alice"), StringComparison.Ordinal);
        Assert.Contains("(privilege_denied)", await alice.ExpectAsync(1, "token", "bob"), StringComparison.Ordinal);
        Assert.Contains("--ttl must be a positive number of seconds", await alice.ExpectAsync(2, "token", "alice/ci", "--ttl", "0"), StringComparison.Ordinal);
        Assert.Contains("is not a valid component", await alice.ExpectAsync(2, "token", "a,,"), StringComparison.Ordinal);
        await alice.ExpectAsync(2, "token");
    }

    [Fact]
    public async Task MkdirP_PutForce_RmR()
    {
        var alice = await Fstn.AsAsync(stack, "alice", _dir.Path);
        var bob = await Fstn.AsAsync(stack, "bob", _dir.Path);
        var root = $"home:<T,alice>:tree-{_id}";
        await alice.ExpectAsync(0, "mkdir", "-p", $"{root}:a:b");
        await alice.ExpectAsync(0, "mkdir", "-p", $"{root}:a:b"); // existing directories are fine
        Assert.Contains("(exists)", await alice.ExpectAsync(1, "mkdir", $"{root}:a:b"), StringComparison.Ordinal);

        var local = _dir.Combine("note.txt");
        await File.WriteAllTextAsync(local, "one");
        await alice.ExpectAsync(0, "put", local, $"{root}:a:b:note");
        Assert.Contains("(exists)", await alice.ExpectAsync(1, "put", local, $"{root}:a:b:note"), StringComparison.Ordinal);
        await File.WriteAllTextAsync(local, "two");
        await alice.ExpectAsync(0, "put", "--force", local, $"{root}:a:b:note");
        Assert.Equal("two", await alice.ExpectAsync(0, "cat", $"{root}:a:b:note"));
        var (code, _, _) = await alice.RunWithAsync("three", "put", "-f", "-", $"{root}:a:b:note");
        Assert.Equal(0, code);
        Assert.Equal("three", await alice.ExpectAsync(0, "cat", $"{root}:a:b:note"));
        Assert.Contains("is a blob, not a directory (bad_path)", await alice.ExpectAsync(1, "mkdir", "-p", $"{root}:a:b:note:c"), StringComparison.Ordinal);

        // bob may not replace alice's blob, by --force or otherwise; nor remove her tree.
        Assert.Contains("(label_denied)", await bob.ExpectAsync(1, "put", "--force", local, $"{root}:a:b:note"), StringComparison.Ordinal);
        Assert.Contains("(label_denied)", await bob.ExpectAsync(1, "rm", "-r", $"{root}:a"), StringComparison.Ordinal);
        Assert.Equal("three", await alice.ExpectAsync(0, "cat", $"{root}:a:b:note"));

        await alice.ExpectAsync(0, "ln", $"{root}:a:b:note", $"{root}:kept");
        await alice.ExpectAsync(0, "rm", "-r", $"{root}:a");
        Assert.Contains("(not_found)", await alice.ExpectAsync(1, "ls", $"{root}:a"), StringComparison.Ordinal);
        Assert.Contains("(not_found)", await alice.ExpectAsync(1, "rm", "-r", $"{root}:a"), StringComparison.Ordinal);
        Assert.Equal("three", await alice.ExpectAsync(0, "cat", $"{root}:kept"));
    }

    [Fact]
    public async Task Completion_PrintsAScriptThatAsksFstn_AndFstnSuggests()
    {
        var alice = await Fstn.AsAsync(stack, "alice", _dir.Path);
        Assert.Contains("complete -o default -F _fstn_complete fstn", await alice.ExpectAsync(0, "completion", "bash"), StringComparison.Ordinal);
        Assert.Contains("compdef _fstn_complete fstn", await alice.ExpectAsync(0, "completion", "zsh"), StringComparison.Ordinal);
        Assert.Contains("Must be one of", await alice.ExpectAsync(2, "completion", "fish"), StringComparison.Ordinal);
        var suggested = (await alice.ExpectAsync(0, "[suggest:14]", "fstn schedule ")).Split('\n');
        Assert.Contains("create", suggested);
        var options = (await alice.ExpectAsync(0, "[suggest:11]", "fstn rm --r")).Split('\n');
        Assert.Contains("--recursive", options);
    }

    public void Dispose() => _dir.Dispose();

    [GeneratedRegex("^image: [0-9a-f]{64}$", RegexOptions.Multiline)]
    private static partial Regex ImageLine();
}

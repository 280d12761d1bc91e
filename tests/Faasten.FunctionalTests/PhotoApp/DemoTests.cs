using System.Diagnostics;
using System.Text.RegularExpressions;
using Faasten.FunctionalTests.Stack;
using Faasten.Tests.Common;
using Faasten.Tests.Common.Tutorial;

namespace Faasten.FunctionalTests.PhotoApp;

/// <summary>
/// The README's main job after the build (examples/pma/demo.sh): it comes up, what it prints
/// works when pasted, Ctrl-C stops the server, and it starts again on the data it left, where
/// the same commands work again.
/// </summary>
public sealed partial class DemoTests : IDisposable
{
    private const string Withheld = "fstn: response withheld by label (withheld)";

    private readonly TempDirectory _dir = new("fdemo");

    [Fact]
    public async Task Demo_PrintedCommandsWorkWhenPasted_AndItRestartsOnItsData()
    {
        var listen = $"127.0.0.1:{LoopbackPort.Free()}";
        string printed;
        await using (var demo = await StartDemoAsync(_dir.Combine("data"), listen))
        {
            printed = demo.Output;
            Assert.Contains($"Faasten is serving at http://{listen}, with the photo app registered for alice and bob", printed, StringComparison.Ordinal);

            var pasted = string.Join('\n', printed.Split('\n').Where(line => line.StartsWith("  ", StringComparison.Ordinal)).Select(line => line[2..]));
            var environment = new Dictionary<string, string> { ["HOME"] = _dir.Path, ["XDG_CONFIG_HOME"] = _dir.Combine("config"), ["TMPDIR"] = _dir.Path };
            var (_, output) = await ShellRun.RunAsync(pasted, _dir.Path, environment, TimeSpan.FromMinutes(3));

            Assert.Contains("blob  alice,alice/pma  beach-128x128.jpeg", output, StringComparison.Ordinal);
            Assert.Contains("blob  alice,alice/pma  mountain-64x64.jpeg", output, StringComparison.Ordinal);
            Assert.Contains(output.Split('\n'), line => line == "blob  beach.jpg"); // the time index's hour directory
            // bob: two withheld reads and a refused share before alice's share; one withheld
            // read of the unshared photo after it.
            Assert.Equal(3, output.Split('\n').Count(line => line.Trim() == Withheld));
            Assert.Contains("fstn: privilege bob does not imply the gate's clearance alice (forbidden)", output, StringComparison.Ordinal);
            Assert.Contains("\"label\": \"alice|bob,alice\"", output, StringComparison.Ordinal);
            foreach (var name in new[] { "beach.jpg", "beach-128x128.jpeg", "beach-64x64.jpeg" })
            {
                Assert.Contains($"blob  alice|bob,alice  {name}", output, StringComparison.Ordinal);
            }
            Assert.Equal((128, 96), JpegSize.Read(await File.ReadAllBytesAsync(_dir.Combine("beach-thumbnail.jpeg"))));

            // Ctrl-C: the script stops the server it started.
            Assert.Equal(130, await demo.SignalAsync("INT", TimeSpan.FromMinutes(1)));
            Assert.False(await AnswersAsync(listen), "the server still answers after Ctrl-C");
        }

        // Again on the same data: users exist, the gates are updated, alice's photos remain.
        await using (var again = await StartDemoAsync(_dir.Combine("data"), listen))
        {
            Assert.Contains("Ctrl-C stops the server.", again.Output, StringComparison.Ordinal);
            using var http = new HttpClient { BaseAddress = new Uri($"http://{listen}") };
            var token = await ProcessRun.RunAsync("faasten", ["admin", "token", "alice", "--data", _dir.Combine("data")]);
            http.DefaultRequestHeaders.Authorization = new("Bearer", token.Stdout.Trim());
            using var thumbs = await http.GetAsync($"/fs/list?path={Api.Q("home:<alice,alice/pma>:thumbs")}");
            Assert.Contains("beach-128x128.jpeg", await thumbs.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            // The printed commands pasted a second time, on the data of the first: same results, nothing "already exists".
            var pasted = string.Join('\n', again.Output.Split('\n').Where(line => line.StartsWith("  ", StringComparison.Ordinal)).Select(line => line[2..]));
            var environment = new Dictionary<string, string> { ["HOME"] = _dir.Path, ["XDG_CONFIG_HOME"] = _dir.Combine("config"), ["TMPDIR"] = _dir.Path };
            var (_, output) = await ShellRun.RunAsync(pasted, _dir.Path, environment, TimeSpan.FromMinutes(3));
            Assert.DoesNotContain("exists", output, StringComparison.Ordinal);
            Assert.DoesNotContain("function_error", output, StringComparison.Ordinal);
            Assert.Contains("blob  alice,alice/pma  beach-128x128.jpeg", output, StringComparison.Ordinal);
            Assert.Equal(3, output.Split('\n').Count(line => line.Trim() == Withheld));
            Assert.Contains("\"label\": \"alice|bob,alice\"", output, StringComparison.Ordinal);
        }
    }

    public void Dispose() => _dir.Dispose();

    private static async Task<bool> AnswersAsync(string listen)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{listen}"), Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync("/auth/me");
            return true;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }


    /// <summary>examples/pma/demo.sh, up once it has printed its last line.</summary>
    private static async Task<WatchedProcess> StartDemoAsync(string data, string listen)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = Repository.Root };
        start.ArgumentList.Add(Path.Combine(Repository.Root, "examples", "pma", "demo.sh"));
        start.Environment["FAASTEN_DEMO_DATA"] = data;
        start.Environment["FAASTEN_DEMO_LISTEN"] = listen;
        start.Environment["TMPDIR"] = Path.GetDirectoryName(data)!;
        // It prints nothing until it has added both users, started the server and registered the
        // app's four functions for each (eight image builds, a dozen more process starts): over
        // a minute in CI while the cluster suite loaded both cores.
        return (await WatchedProcess.StartAsync(start, ReadyLine(), "the demo", TimeSpan.FromMinutes(4))).Process;
    }

    [GeneratedRegex(@"^Ctrl-C stops the server\.$")]
    private static partial Regex ReadyLine();
}

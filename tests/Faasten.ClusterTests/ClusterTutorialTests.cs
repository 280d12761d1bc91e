using Faasten.ClusterTests.Stack;
using Faasten.FunctionalTests.Stack;
using Faasten.Tests.Common.Tutorial;

namespace Faasten.ClusterTests;

/// <summary>
/// docs/tutorial.md on a cluster (2 gateways, 2 workers): every step as written against gateway
/// 0, except the three that are about one process: the users are added with
/// <c>faasten admin useradd --config</c> on the cluster's stores, the server is already running
/// (the step only waits for it), and nothing is stopped at the end. The outcome is checked as on
/// <c>faasten serve</c>, through the other gateway.
/// </summary>
public sealed class ClusterTutorialTests : IDisposable
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(5);

    // Short: the workers' VM sockets are not under it, but fstn build's scratch files are.
    private readonly string _temp = Path.Combine("/tmp", "fct-" + Guid.NewGuid().ToString("N")[..8]);

    public ClusterTutorialTests()
    {
        Directory.CreateDirectory(_temp);
    }

    [Fact]
    public async Task Tutorial_OnTheCluster_LeavesPrivateThumbnails_SeenThroughEitherGateway()
    {
        var tutorial = TutorialDocument.Load();
        await using var stack = await ClusterStack.StartAsync(new ClusterShape());
        var bin = Path.Combine(_temp, "bin");
        var (installed, installOutput) = await ShellRun.RunAsync($"./scripts/install.sh '{bin}'", tutorial.RepositoryRoot, new Dictionary<string, string>(), TimeSpan.FromMinutes(1));
        Assert.True(installed == 0, installOutput);
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH"),
            ["EXAMPLES"] = Path.Combine(tutorial.RepositoryRoot, "examples"),
            ["FSTN_SERVER"] = stack.Gateways[0]!.ToString().TrimEnd('/'),
            ["CLUSTER_CONFIG"] = stack.ConfigFile,
            ["XDG_CONFIG_HOME"] = Path.Combine(_temp, "config"),
            ["TMPDIR"] = _temp,
            ["DOTNET_NOLOGO"] = "1",
        };
        var script = tutorial.Script(new Dictionary<string, string>
        {
            ["faasten admin useradd alice"] = """
                echo 'alice-password' | faasten admin useradd alice --config "$CLUSTER_CONFIG" --exist-ok
                echo 'bob-password' | faasten admin useradd bob --config "$CLUSTER_CONFIG" --exist-ok
                """,
            ["faasten serve"] = "until fstn whoami >/dev/null 2>&1; do sleep 0.5; done",
            ["kill \"$SERVER_PID\""] = "",
        });
        Assert.DoesNotContain("faasten serve", script, StringComparison.Ordinal);

        var (exitCode, output) = await ShellRun.RunAsync(script, Directory.CreateDirectory(Path.Combine(_temp, "work")).FullName, environment, ScriptTimeout);

        Assert.True(exitCode == 0, $"The tutorial's commands failed on the cluster (exit {exitCode}):\n{output}\n{stack.Diagnostics()}");
        TutorialOutcome.AssertPromisedOutput(tutorial, output, stack.Diagnostics());
        await stack.WithDiagnosticsAsync(() => TutorialOutcome.AssertPrivateThumbnailsAsync(tutorial, stack.Gateways[1]!, stack.Gateways[0]!, Path.Combine(_temp, "thumbnail.jpeg")));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_temp, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Leftovers in /tmp must not turn a passing run into a failure.
        }
    }
}

using Faasten.FunctionalTests.Stack;
using Faasten.Tests.Common;
using Faasten.Tests.Common.Tutorial;

namespace Faasten.FunctionalTests.Tutorial;

/// <summary>
/// docs/tutorial.md, run exactly as written against a real <c>faasten serve</c>, from an empty
/// directory with <c>faasten</c> and <c>fstn</c> on PATH as setup installs them: only the
/// examples directory, the data directory, the server address, the config directory and TMPDIR
/// come from the environment, through variables the tutorial itself reads. Then a fresh server on the same
/// data shows alice's thumbnails with the promised sizes and labels. It runs twice on the same data:
/// the tutorial can be repeated.
/// </summary>
public sealed class TutorialTests : IDisposable
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(5);

    // Short on purpose: the server puts its VMs' socket files under $TMPDIR, and a Unix
    // socket path is limited to 108 bytes.
    private readonly string _temp = Path.Combine("/tmp", "ft-" + Guid.NewGuid().ToString("N")[..8]);

    public TutorialTests()
    {
        Directory.CreateDirectory(_temp);
    }

    [Fact]
    public async Task Tutorial_RunAsWritten_LeavesPrivateThumbnails()
    {
        var tutorial = TutorialDocument.Load();
        foreach (var binary in new[] { "src/Faasten.Host/bin/Release/net10.0/faasten.dll", "src/Faasten.Cli/bin/Release/net10.0/fstn.dll" })
        {
            Assert.True(File.Exists(Path.Combine(tutorial.RepositoryRoot, binary)), $"The tutorial runs the Release build; build it first ({binary} is missing).");
        }
        // faasten and fstn on PATH as scripts/setup.sh installs them, for this clone's build.
        var bin = Path.Combine(_temp, "bin");
        var (installed, installOutput) = await ShellRun.RunAsync($"./scripts/install.sh '{bin}'", tutorial.RepositoryRoot, new Dictionary<string, string>(), TimeSpan.FromMinutes(1));
        Assert.True(installed == 0, installOutput);
        var work = Directory.CreateDirectory(Path.Combine(_temp, "work")).FullName;
        var data = Path.Combine(_temp, "data");
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH"),
            ["EXAMPLES"] = Path.Combine(tutorial.RepositoryRoot, "examples"),
            ["FAASTEN_DATA"] = data,
            ["FSTN_SERVER"] = $"http://127.0.0.1:{LoopbackPort.Free()}",
            ["XDG_CONFIG_HOME"] = Path.Combine(_temp, "config"),
            ["TMPDIR"] = _temp,
            ["DOTNET_NOLOGO"] = "1",
        };

        // From an empty directory: the tutorial needs nothing of the clone but $EXAMPLES.
        var (exitCode, output) = await ShellRun.RunAsync(tutorial.Script(), work, environment, ScriptTimeout);

        Assert.True(exitCode == 0, $"The tutorial's commands failed (exit {exitCode}):\n{output}\nServer log:\n{ServerLog()}");
        // The outputs the tutorial shows for listing and for the denied cases are what happened.
        TutorialOutcome.AssertPromisedOutput(tutorial, output, "Server log:\n" + ServerLog());
        // Step 8's kill reached the server itself (not a wrapper shell): it stopped gracefully.
        Assert.Contains("Faasten stopped", ServerLog(), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_temp, "thumbnail.jpeg")));

        // All of it again on the same data, as a reader repeating the tutorial would: nothing
        // "already exists", and step 8 stops the second server too.
        File.Delete(Path.Combine(_temp, "faasten-serve.log"));
        var (again, againOutput) = await ShellRun.RunAsync(tutorial.Script(), work, environment, ScriptTimeout);
        Assert.True(again == 0, $"The tutorial failed when run a second time (exit {again}):\n{againOutput}\nServer log:\n{ServerLog()}");
        Assert.Equal(3, TutorialOutcome.CountOf(againOutput, "denied (exit 1)"));
        Assert.DoesNotContain("(exists)", againOutput, StringComparison.Ordinal);
        Assert.Contains("Faasten stopped", ServerLog(), StringComparison.Ordinal);

        // A fresh server on the same data: what the tutorial made was durably stored.
        await using var server = await ServerProcess.StartAsync(data);
        await TutorialOutcome.AssertPrivateThumbnailsAsync(tutorial, server.Address, server.Address, Path.Combine(_temp, "thumbnail.jpeg"));

        // The real fstn against the real server: a wrong password is exit 4 with one line.
        var (loginExit, loginOutput) = await ShellRun.RunAsync(
            "echo 'not-the-password' | dotnet ./src/Faasten.Cli/bin/Release/net10.0/fstn.dll login --user alice",
            tutorial.RepositoryRoot,
            new Dictionary<string, string> { ["FSTN_SERVER"] = server.Address.ToString(), ["XDG_CONFIG_HOME"] = Path.Combine(_temp, "config") },
            TimeSpan.FromMinutes(1));
        Assert.Equal(4, loginExit);
        Assert.Equal("fstn: wrong user name or password (unauthorized)", loginOutput.Trim());

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

    /// <summary>The tutorial sends the server's log to $TMPDIR; shown when a step fails.</summary>
    private string ServerLog()
    {
        var log = Path.Combine(_temp, "faasten-serve.log");
        return File.Exists(log) ? File.ReadAllText(log) : "(none)";
    }
}

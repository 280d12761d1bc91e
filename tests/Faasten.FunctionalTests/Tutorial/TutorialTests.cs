using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Faasten.FunctionalTests.Stack;
using Faasten.Tests.Common;

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
        var promised = tutorial.OutputBlocks()
            .SelectMany(block => block.Split('\n'))
            .Where(line => line.StartsWith("blob ", StringComparison.Ordinal) || line.StartsWith("fstn: ", StringComparison.Ordinal) || line.StartsWith("denied", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(promised);
        foreach (var line in promised)
        {
            Assert.True(output.Contains(line, StringComparison.Ordinal), $"The tutorial promises '{line}', but the run printed:\n{output}");
        }
        Assert.Equal(3, CountOf(output, "denied (exit 1)"));
        // Step 8's kill reached the server itself (not a wrapper shell): it stopped gracefully.
        Assert.Contains("Faasten stopped", ServerLog(), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_temp, "thumbnail.jpeg")));

        // All of it again on the same data, as a reader repeating the tutorial would: nothing
        // "already exists", and step 8 stops the second server too.
        File.Delete(Path.Combine(_temp, "faasten-serve.log"));
        var (again, againOutput) = await ShellRun.RunAsync(tutorial.Script(), work, environment, ScriptTimeout);
        Assert.True(again == 0, $"The tutorial failed when run a second time (exit {again}):\n{againOutput}\nServer log:\n{ServerLog()}");
        Assert.Equal(3, CountOf(againOutput, "denied (exit 1)"));
        Assert.DoesNotContain("(exists)", againOutput, StringComparison.Ordinal);
        Assert.Contains("Faasten stopped", ServerLog(), StringComparison.Ordinal);

        // A fresh server on the same data: what the tutorial made was durably stored.
        await using var server = await ServerProcess.StartAsync(data);
        using var http = new HttpClient { BaseAddress = server.Address };
        using var login = await http.PostAsJsonAsync("auth/login", new JsonObject { ["user"] = "alice", ["password"] = tutorial.PasswordOf("alice") });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var token = (string)(await login.Content.ReadFromJsonAsync<JsonObject>())!["token"]!;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        const string Thumbnails = "home:<alice,alice>:thumbnails";
        var list = await http.GetFromJsonAsync<JsonObject>(Route("fs/list", Thumbnails));
        var names = list!["entries"]!.AsArray().Select(e => (string)e!["name"]!).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["128-128.jpeg", "256-256.jpeg", "512-512.jpeg"], names);

        var expected = new Dictionary<string, (int, int)>
        {
            ["512-512.jpeg"] = (512, 384),
            ["256-256.jpeg"] = (256, 192),
            ["128-128.jpeg"] = (128, 96),
        };
        foreach (var (name, size) in expected)
        {
            var path = Thumbnails + ":" + name;
            var stat = await http.GetFromJsonAsync<JsonObject>(Route("fs/stat", path));
            Assert.Equal("blob", (string?)stat!["kind"]);
            Assert.Equal("alice,alice", (string?)stat["label"]);
            var bytes = await http.GetByteArrayAsync(Route("fs/blob", path));
            Assert.Equal(size, JpegSize.Read(bytes));
        }
        Assert.Equal((128, 96), JpegSize.Read(await File.ReadAllBytesAsync(Path.Combine(_temp, "thumbnail.jpeg"))));

        // The real fstn against the real server: a wrong password is exit 4 with one line.
        var (loginExit, loginOutput) = await ShellRun.RunAsync(
            "echo 'not-the-password' | dotnet ./src/Faasten.Cli/bin/Release/net10.0/fstn.dll login --user alice",
            tutorial.RepositoryRoot,
            new Dictionary<string, string> { ["FSTN_SERVER"] = server.Address.ToString(), ["XDG_CONFIG_HOME"] = Path.Combine(_temp, "config") },
            TimeSpan.FromMinutes(1));
        Assert.Equal(4, loginExit);
        Assert.Equal("fstn: wrong user name or password (unauthorized)", loginOutput.Trim());

        // And bob still sees nothing of them.
        http.DefaultRequestHeaders.Authorization = null;
        using var bobLogin = await http.PostAsJsonAsync("auth/login", new JsonObject { ["user"] = "bob", ["password"] = tutorial.PasswordOf("bob") });
        var bobToken = (string)(await bobLogin.Content.ReadFromJsonAsync<JsonObject>())!["token"]!;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bobToken);
        using var stolen = await http.GetAsync(Route("fs/blob", Thumbnails + ":128-128.jpeg"));
        Assert.Equal(HttpStatusCode.Forbidden, stolen.StatusCode);
        Assert.DoesNotContain("JFIF", await stolen.Content.ReadAsStringAsync(), StringComparison.Ordinal);
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

    private static string Route(string route, string path) => route + "?path=" + Uri.EscapeDataString(path);

    private static int CountOf(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }

}

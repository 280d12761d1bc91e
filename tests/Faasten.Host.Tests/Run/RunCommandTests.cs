using System.CommandLine;
using System.Diagnostics;
using Faasten.Fs;
using Faasten.Fs.Objects;
using Faasten.Fs.Storage;
using Faasten.Host.Commands;
using Faasten.Labels;
using Faasten.Sandbox.Bubblewrap;
using Faasten.Tests.Common;

namespace Faasten.Host.Tests.Run;

/// <summary>
/// <c>faasten run</c> end to end: a real bubblewrap VM, the real kernel, the embedded file
/// system in a temp data directory.
/// </summary>
public sealed class RunCommandTests : IDisposable
{
    private const string AliceHome = "home:<alice,alice>";

    // Generous: test classes run in parallel on two shared cores.
    private static readonly BubblewrapOptions Sandbox = new() { StartTimeout = TimeSpan.FromSeconds(60) };

    private readonly TempDirectory _dir = new("faasten-run");
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    private string Data => _dir.Combine("data");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task GenThumb_PhotoBlob_ThumbnailsLinkedUnderThePhotosSecrecy_EndorsedByThePrivilege()
    {
        var photo = MakeJpeg(200, 150);
        await WithFsAsync(async fs =>
        {
            var super = new SecurityContext(Component.False);
            Assert.True((await fs.AddUserAsync(super, "alice")).IsOk);
            var alice = new SecurityContext(Component.Parse("alice"));
            Assert.True((await fs.CreateDirectoryAsync(alice, $"{AliceHome}:thumbs", Label.Parse("alice,alice"))).IsOk);
            await using var writer = fs.Blobs.BeginWrite();
            await writer.WriteAsync(photo);
            Assert.True((await fs.LinkBlobAsync(alice, $"{AliceHome}:photo.jpg", await writer.CommitAsync(), Label.Parse("alice,alice"))).IsOk);
        });

        var exit = await RunAsync(
            FindExample("gen-thumb"),
            $$"""{"input": "{{AliceHome}}:photo.jpg", "output_dir": "{{AliceHome}}:thumbs", "sizes": [[64, 64], [32, 32]]}""",
            privilege: "alice");

        Assert.True(exit == RunExitCode.Success, _error.ToString());
        Assert.Equal("{}", _output.ToString().Trim());
        Assert.Contains("label: alice,T", _error.ToString(), StringComparison.Ordinal);
        await WithFsAsync(async fs =>
        {
            var reader = new SecurityContext(Component.Parse("alice"));
            var listing = await fs.ListAsync(reader, $"{AliceHome}:thumbs");
            Assert.Equal(["32-32.jpeg", "64-64.jpeg"], listing.Value!.Select(e => e.Name).Order());
            foreach (var (name, size) in new[] { ("64-64.jpeg", (64, 48)), ("32-32.jpeg", (32, 24)) })
            {
                var path = $"{AliceHome}:thumbs:{name}";
                var stat = await fs.StatAsync(reader, path);
                Assert.Equal((ObjectKind.Blob, Label.Parse("alice,alice")), (stat.Value.Kind, stat.Value.Label));
                var blob = (await fs.OpenBlobAsync(reader, path)).Value;
                await using var stream = (await fs.Blobs.OpenReadAsync(blob.Hash))!;
                using var bytes = new MemoryStream();
                await stream.CopyToAsync(bytes);
                Assert.Equal(size, JpegSize.Read(bytes.ToArray()));
            }
        });
    }

    [Fact]
    public async Task CommandLine_BindsOptions_PrintsResultAndLabels()
    {
        var function = WriteFunction("""
            def handle(event, cloudcall):
                start = cloudcall.get_current_label()
                cloudcall.taint_with_label("alice&bob,T")
                cloudcall.sub_privilege("x")
                return {"got": event, "start": start, "privilege": cloudcall.get_privilege()}
            """);
        var root = new RootCommand { RunCommand.Create() };

        var exit = await root.Parse(["run", function, "--payload", """{"n": 1}""", "-p", "alice", "--label", "T,alice", "--data", Data])
            .InvokeAsync(new InvocationConfiguration { Output = _output, Error = _error });

        Assert.True(exit == 0, _error.ToString());
        Assert.Equal("""{"got":{"n":1},"start":"T,alice","privilege":"alice/x"}""", _output.ToString().Trim());
        var error = _error.ToString();
        Assert.Contains("label: alice&bob,T", error, StringComparison.Ordinal);
        Assert.Contains("released: bob,alice (downgraded with privilege alice)", error, StringComparison.Ordinal);
        Assert.Contains("privilege at exit: alice/x", error, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Data, "metadata.db")));
    }

    [Fact]
    public async Task Executable_PrintsTheFunctionsOutputAndTrailOnStderr_ResultAloneOnStdout()
    {
        var function = WriteFunction("""
            import sys
            def handle(event, cloudcall):
                print("hello from stdout")
                sys.stderr.write("hello from stderr\n")
                cloudcall.taint_with_label("alice,T")
                return {"ok": 1}
            """);

        var (exit, output, error) = await Support.FaastenProcess.RunAsync(["run", function, "--payload", "{}", "--data", Data]);

        Assert.True(exit == 0, error);
        Assert.Equal("{\"ok\":1}", output.Trim());
        Assert.Contains("hello from stdout\n", error, StringComparison.Ordinal);
        Assert.Contains("hello from stderr\n", error, StringComparison.Ordinal);
        Assert.Contains("trail:\n  alice,T  taint\n", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FunctionRaises_ExitsOneWithTheTraceback()
    {
        var function = WriteFunction("""
            def handle(event, cloudcall):
                cloudcall.fs_read("home:<alice,alice>:missing")
            """);

        Assert.Equal(RunExitCode.FunctionFailed, await RunAsync(function, "null"));

        Assert.Empty(_output.ToString());
        Assert.Contains("NotFound", _error.ToString(), StringComparison.Ordinal);
        Assert.Contains("workload.py", _error.ToString(), StringComparison.Ordinal);
        Assert.Contains("label: alice,T", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task FunctionDirectory_UnderAPrivateParent_Runs()
    {
        // As a clone under /root or `mktemp -d` is: only its owner may traverse it, and the
        // sandbox user is not its owner.
        var function = WriteFunction("""
            def handle(event, cloudcall):
                return {"got": event}
            """, name: "private/fn");
        File.SetUnixFileMode(_dir.Combine("private"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var exit = await RunAsync(function, "[7]");

        Assert.True(exit == RunExitCode.Success, _error.ToString());
        Assert.Equal("{\"got\":[7]}", _output.ToString().Trim());
    }

    [Fact]
    public async Task ImageFile_IsUnpackedAndRun_NonImageFile_ExitTwo()
    {
        var image = MakeSquashFs(WriteFunction("def handle(event, cloudcall):\n    return {'from': 'image', 'event': event}\n"));

        Assert.Equal(RunExitCode.Success, await RunAsync(image, "[1]"));
        Assert.Equal("""{"from":"image","event":[1]}""", _output.ToString().Trim());

        var notAnImage = _dir.Combine("notes.txt");
        File.WriteAllText(notAnImage, "hello");
        Assert.Equal(RunExitCode.BadInput, await RunAsync(notAnImage, "{}"));
        Assert.Contains("not a usable function image", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeFromAFunction_RunsTheGateOnTheEmbeddedWorker_AndTaintsTheCaller()
    {
        var callee = MakeSquashFs(WriteFunction("""
            def handle(event, cloudcall):
                cloudcall.taint_with_label("alice/callee,T")
                return {"doubled": event["n"] * 2, "privilege": cloudcall.get_privilege()}
            """, "callee"));
        await WithFsAsync(async fs =>
        {
            Assert.True((await fs.AddUserAsync(new SecurityContext(Component.False), "alice")).IsOk);
            await using var writer = fs.Blobs.BeginWrite();
            await writer.WriteAsync(await File.ReadAllBytesAsync(callee));
            var function = new FunctionSpec(await writer.CommitAsync(), MemoryMb: 64);
            var alice = new SecurityContext(Component.Parse("alice"));
            Assert.True((await fs.CreateGateAsync(alice, "home:<T,alice>:double", Component.Parse("alice/double"), Component.Parse("alice"), function)).IsOk);
        });
        var caller = WriteFunction("""
            def handle(event, cloudcall):
                result = cloudcall.invoke("home:<T,alice>:double", {"n": 21})
                try:
                    cloudcall.invoke("home:<T,alice>:missing", {})
                except cloudcall.NotFound as e:
                    result["missing"] = type(e).__name__
                return result
            """, "caller");

        var exit = await RunAsync(caller, "{}", privilege: "alice");

        Assert.True(exit == RunExitCode.Success, _error.ToString());
        Assert.Equal("""{"doubled":42,"privilege":"alice/double","missing":"NotFound"}""", _output.ToString().Trim());
        Assert.Contains("label: alice/callee,T", _error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{not json", "T", null, "--payload")]
    [InlineData("{}", "alice|", null, "--privilege")]
    [InlineData("{}", "T", "alice", "--label")]
    public async Task BadArguments_ExitTwo(string payload, string privilege, string? label, string named)
    {
        var function = WriteFunction("def handle(event, cloudcall):\n    return 1\n");
        Assert.Equal(RunExitCode.BadInput, await RunAsync(function, payload, privilege, label));
        Assert.Contains(named, _error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Data));
    }

    [Fact]
    public async Task MissingSourceOrWorkload_ExitTwo()
    {
        Assert.Equal(RunExitCode.BadInput, await RunAsync(_dir.Combine("nope"), "{}"));
        Directory.CreateDirectory(_dir.Combine("empty"));
        Assert.Equal(RunExitCode.BadInput, await RunAsync(_dir.Combine("empty"), "{}"));
        Assert.Contains("workload.py", _error.ToString(), StringComparison.Ordinal);
    }

    private Task<RunExitCode> RunAsync(string source, string payload, string privilege = "T", string? label = null) =>
        RunCommand.RunAsync(_output, _error, new RunOptions(source, payload) { Privilege = privilege, Label = label, DataDirectory = Data, Sandbox = Sandbox });

    private string WriteFunction(string workload, string name = "fn")
    {
        var directory = _dir.Combine(name);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "workload.py"), workload);
        return directory;
    }

    private async Task WithFsAsync(Func<FileSystem, Task> action)
    {
        Directory.CreateDirectory(Data);
        await using var metadata = SqliteMetadataStore.Open(Path.Combine(Data, "metadata.db"));
        var fs = new FileSystem(metadata, new LocalBlobStore(Path.Combine(Data, "blobs")));
        await fs.BootstrapAsync();
        await action(fs);
    }

    private string MakeSquashFs(string directory)
    {
        var image = directory + ".sqfs";
        using var mksquashfs = Process.Start(new ProcessStartInfo("/usr/bin/mksquashfs", [directory, image, "-quiet", "-no-progress", "-all-root", "-noappend"]) { RedirectStandardOutput = true })!;
        mksquashfs.StandardOutput.ReadToEnd();
        mksquashfs.WaitForExit();
        Assert.Equal(0, mksquashfs.ExitCode);
        return image;
    }

    private byte[] MakeJpeg(int width, int height)
    {
        var path = _dir.Combine("photo.jpg");
        using var python = Process.Start(new ProcessStartInfo("/usr/bin/python3")
        {
            ArgumentList =
            {
                "-c",
                "import sys; from PIL import Image; Image.new('RGB', (int(sys.argv[2]), int(sys.argv[3])), (200, 30, 30)).save(sys.argv[1], 'JPEG')",
                path,
                width.ToString(System.Globalization.CultureInfo.InvariantCulture),
                height.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        })!;
        python.WaitForExit();
        Assert.Equal(0, python.ExitCode);
        return File.ReadAllBytes(path);
    }

    private static string FindExample(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "examples", name);
            if (File.Exists(Path.Combine(candidate, "workload.py")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"examples/{name} not found above {AppContext.BaseDirectory}");
    }
}

using System.Text.Json;
using Faasten.Sandbox.Tests.Support;
using Faasten.Tests.Common;

namespace Faasten.Sandbox.Tests.Images;

/// <summary><c>fstn build</c>: deterministic SquashFS images.</summary>
public sealed class ImageBuildTests
{
    private static void WriteFunction(string directory)
    {
        Directory.CreateDirectory(Path.Combine(directory, "lib", "deep"));
        File.WriteAllText(Path.Combine(directory, "workload.py"), "from lib.deep import x\n\ndef handle(event, cloudcall):\n    return x.VALUE\n");
        File.WriteAllText(Path.Combine(directory, "lib", "__init__.py"), "");
        File.WriteAllText(Path.Combine(directory, "lib", "deep", "__init__.py"), "");
        File.WriteAllText(Path.Combine(directory, "lib", "deep", "x.py"), "VALUE = 'from the image'\n");
        File.WriteAllBytes(Path.Combine(directory, "data.bin"), Enumerable.Range(0, 70_000).Select(i => (byte)(i * 31)).ToArray());
    }

    [Fact]
    public async Task Build_SameFilesTwice_GivesTheSameBytes()
    {
        using var work = new TempDirectory("faasten-build");
        var first = work.Combine("first");
        WriteFunction(first);
        await Fstn.BuildAsync(first, work.Combine("a.img"));

        // Same contents, different everything else: order of creation, times, modes, caches.
        await Task.Delay(1100);
        var second = work.Combine("second");
        Directory.CreateDirectory(second);
        File.WriteAllBytes(Path.Combine(second, "data.bin"), File.ReadAllBytes(Path.Combine(first, "data.bin")));
        WriteFunction(second);
        File.SetUnixFileMode(Path.Combine(second, "workload.py"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.SetUnixFileMode(Path.Combine(second, "lib"), (UnixFileMode)0b111_111_000);
        Directory.CreateDirectory(Path.Combine(second, "lib", "__pycache__"));
        File.WriteAllText(Path.Combine(second, "lib", "__pycache__", "x.cpython-311.pyc"), "stale");
        await Fstn.BuildAsync(second, work.Combine("b.img"));

        Assert.Equal(File.ReadAllBytes(work.Combine("a.img")), File.ReadAllBytes(work.Combine("b.img")));
    }

    [Fact]
    public async Task Build_ShippedModules_CarryCheckedHashBytecodeTheVmsInterpreterAccepts()
    {
        using var work = new TempDirectory("faasten-build");
        var source = work.Combine("fn");
        WriteFunction(source);
        var image = work.Combine("fn.img");
        await Fstn.BuildAsync(source, image);
        var unpacked = work.Combine("unpacked");
        var (code, output) = await RunAsync("unsquashfs", "-no-progress", "-d", unpacked, image);
        Assert.True(code == 0, output);

        var pyc = Directory.GetFiles(Path.Combine(unpacked, "lib", "deep", "__pycache__"), "x.cpython-*.pyc").Single();
        // The sandbox's interpreter itself judges the file: its magic number, the checked-hash
        // flags (PEP 552: bit 0 hash-based, bit 1 check the source) and the source's hash.
        (code, output) = await RunAsync(
            "/usr/bin/python3", "-I", "-c",
            """
            import importlib.util, marshal, sys
            pyc, src = sys.argv[1], sys.argv[2]
            data = open(pyc, "rb").read()
            assert data[:4] == importlib.util.MAGIC_NUMBER, "magic"
            assert int.from_bytes(data[4:8], "little") == 0b11, "flags"
            assert data[8:16] == importlib.util.source_hash(open(src, "rb").read()), "hash"
            print(marshal.loads(data[16:]).co_filename)
            """,
            pyc, Path.Combine(unpacked, "lib", "deep", "x.py"));
        Assert.True(code == 0, output);
        Assert.Equal("/srv/lib/deep/x.py", output.Trim());
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string tool, params string[] args)
    {
        var info = new System.Diagnostics.ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = System.Diagnostics.Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    [Fact]
    public async Task Build_ChangedFile_GivesDifferentBytes()
    {
        using var work = new TempDirectory("faasten-build");
        var source = work.Combine("fn");
        WriteFunction(source);
        await Fstn.BuildAsync(source, work.Combine("a.img"));
        File.AppendAllText(Path.Combine(source, "lib", "deep", "x.py"), "# changed\n");
        await Fstn.BuildAsync(source, work.Combine("b.img"));

        Assert.NotEqual(File.ReadAllBytes(work.Combine("a.img")), File.ReadAllBytes(work.Combine("b.img")));
    }

    [Fact]
    public async Task Build_Json_ReportsPathSizeAndHash()
    {
        using var work = new TempDirectory("faasten-build");
        WriteFunction(work.Combine("fn"));
        var image = work.Combine("fn.img");

        var (exitCode, output) = await Fstn.RunAsync("build", work.Combine("fn"), "-o", image, "--json");

        Assert.Equal(0, exitCode);
        var result = JsonDocument.Parse(output).RootElement;
        Assert.Equal(image, result.GetProperty("image").GetString());
        Assert.Equal(new FileInfo(image).Length, result.GetProperty("size").GetInt64());
        Assert.Equal(File.ReadAllBytes(image).Sha256Hex(), result.GetProperty("sha256").GetString());
    }

    [Theory]
    [InlineData(false, "has no workload.py")]
    [InlineData(true, "does not exist")]
    public async Task Build_NotAFunctionDirectory_ExitsWithBadInput(bool missing, string message)
    {
        using var work = new TempDirectory("faasten-build");
        var source = work.Combine("fn");
        if (!missing)
        {
            Directory.CreateDirectory(source);
        }

        var (exitCode, output) = await Fstn.RunAsync("build", source, "-o", work.Combine("x.img"));

        Assert.Equal(2, exitCode);
        Assert.Contains(message, output, StringComparison.Ordinal);
        Assert.False(File.Exists(work.Combine("x.img")));
    }
}

using System.Diagnostics;
using Faasten.Sandbox.Images;
using Faasten.Sandbox.Tests.Support;
using Faasten.Sandbox.Vm;
using Faasten.Tests.Common;

namespace Faasten.Sandbox.Tests.Images;

public sealed class FunctionImageCacheTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly TempDirectory _work = new("faasten-images");

    public void Dispose() => _work.Dispose();

    private async Task<(string Image, string Hash)> BuildAsync(
        string workload = "def handle(event, cloudcall):\n    return 'from the image'\n",
        string helper = "")
    {
        var source = _work.Combine($"src-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(source, "pkg"));
        File.WriteAllText(Path.Combine(source, "workload.py"), workload);
        File.WriteAllText(Path.Combine(source, "pkg", "__init__.py"), "");
        File.WriteAllText(Path.Combine(source, "pkg", "helper.py"), helper);
        var image = source + ".img";
        await Fstn.BuildAsync(source, image);
        return (image, File.ReadAllBytes(image).Sha256Hex());
    }

    [Fact]
    public async Task GetDirectoryAsync_ConcurrentRequests_UnpackOnce()
    {
        var (image, hash) = await BuildAsync();
        var cache = new FunctionImageCache(_work.Combine("cache"));
        var opened = 0;
        async ValueTask<Stream> Open(CancellationToken ct)
        {
            Interlocked.Increment(ref opened);
            await Task.Delay(50, ct); // hold the door open for the other requests
            return File.OpenRead(image);
        }

        var directories = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => cache.GetDirectoryAsync(hash, Open).AsTask()));

        Assert.Equal(1, opened);
        Assert.Equal(1, cache.Unpacks);
        Assert.Single(directories.Distinct());
        Assert.Equal(_work.Combine("cache", hash), directories[0]);
        Assert.Equal((UnixFileMode)0b110_100_100, File.GetUnixFileMode(Path.Combine(directories[0], "workload.py")));
        Assert.True(Directory.Exists(Path.Combine(directories[0], "pkg")));
        Assert.Equal([hash], Directory.GetFileSystemEntries(_work.Combine("cache")).Select(Path.GetFileName));

        // A later request, even from a fresh cache over the same directory, never reopens the blob.
        var again = new FunctionImageCache(_work.Combine("cache"));
        Assert.Equal(directories[0], await again.GetDirectoryAsync(hash, _ => throw new InvalidOperationException("reopened")));
        Assert.Equal(0, again.Unpacks);
    }

    [Fact]
    public async Task GetDirectoryAsync_BytesNotMatchingTheHash_ThrowsAndLeavesNothing()
    {
        var (image, _) = await BuildAsync();
        var (_, otherHash) = await BuildAsync("def handle(e, c):\n    return 2\n");
        var cache = new FunctionImageCache(_work.Combine("cache"));

        var ex = await Assert.ThrowsAsync<InvalidDataException>(
            () => cache.GetDirectoryAsync(otherHash, _ => ValueTask.FromResult<Stream>(File.OpenRead(image))).AsTask());

        Assert.Contains($"not {otherHash}", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_work.Combine("cache")));
    }

    [Fact]
    public async Task GetDirectoryAsync_NotSquashFs_ThrowsInvalidData_AndALaterRequestRetries()
    {
        var garbage = "not an image"u8.ToArray();
        var cache = new FunctionImageCache(_work.Combine("cache"));

        await Assert.ThrowsAsync<InvalidDataException>(
            () => cache.GetDirectoryAsync(garbage.Sha256Hex(), _ => ValueTask.FromResult<Stream>(new MemoryStream(garbage))).AsTask());
        var (image, hash) = await BuildAsync();
        var directory = await cache.GetDirectoryAsync(hash, _ => ValueTask.FromResult<Stream>(File.OpenRead(image)));

        Assert.True(File.Exists(Path.Combine(directory, "workload.py")));
        Assert.Equal([hash], Directory.GetFileSystemEntries(_work.Combine("cache")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task GetDirectoryAsync_ImageWithAFifo_IsRejected()
    {
        var source = _work.Combine("fifo-src");
        Directory.CreateDirectory(source);
        File.WriteAllText(Path.Combine(source, "workload.py"), "");
        using (var mkfifo = Process.Start("mkfifo", Path.Combine(source, "pipe")))
        {
            await mkfifo.WaitForExitAsync();
        }
        var image = _work.Combine("fifo.img");
        using (var mksquashfs = Process.Start(new ProcessStartInfo("mksquashfs", [source, image, "-quiet", "-no-progress"]) { RedirectStandardOutput = true }))
        {
            await mksquashfs!.WaitForExitAsync();
        }
        var cache = new FunctionImageCache(_work.Combine("cache"));

        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => cache.GetDirectoryAsync(
            File.ReadAllBytes(image).Sha256Hex(), _ => ValueTask.FromResult<Stream>(File.OpenRead(image))).AsTask());

        Assert.Contains("special file ('p')", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_work.Combine("cache")));
    }

    [Theory]
    [InlineData("../../etc")]
    [InlineData("ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789")]
    [InlineData("")]
    public async Task GetDirectoryAsync_NotAHash_ThrowsArgumentException(string hash)
    {
        var cache = new FunctionImageCache(_work.Combine("cache"));

        await Assert.ThrowsAsync<ArgumentException>(
            () => cache.GetDirectoryAsync(hash, _ => throw new InvalidOperationException()).AsTask());
    }

    [Fact]
    public async Task GetDirectoryForPathAsync_ImageFileIsUnpacked_DirectoryIsStagedInTheCache()
    {
        var (image, hash) = await BuildAsync();
        var cache = new FunctionImageCache(_work.Combine("cache"));

        using (var unpacked = await cache.GetDirectoryForPathAsync(image))
        {
            Assert.Equal(_work.Combine("cache", hash), unpacked.Directory);
        }

        var source = Directory.CreateDirectory(_work.Combine("private", "fn")).FullName;
        await File.WriteAllTextAsync(Path.Combine(source, "workload.py"), "def handle(e, c):\n    return 1\n");
        File.SetUnixFileMode(Path.Combine(source, "workload.py"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.SetUnixFileMode(_work.Combine("private"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string copy;
        using (var staged = await cache.GetDirectoryForPathAsync(source + "/"))
        {
            copy = staged.Directory;
            Assert.StartsWith(_work.Combine("cache") + "/", copy, StringComparison.Ordinal);
            Assert.Equal("def handle(e, c):\n    return 1\n", await File.ReadAllTextAsync(Path.Combine(copy, "workload.py")));
            // Readable by anyone, like an unpacked image, whatever the source's modes.
            Assert.Equal(UnixFileMode.OtherRead, File.GetUnixFileMode(Path.Combine(copy, "workload.py")) & UnixFileMode.OtherRead);
        }

        Assert.False(Directory.Exists(copy), "the copy is deleted when the run is over");
    }

    [Fact]
    public void Constructor_RemovesStagedCopiesLeftByAKilledRun_KeepsRecentOnes()
    {
        var root = Directory.CreateDirectory(_work.Combine("cache")).FullName;
        var old = Directory.CreateDirectory(Path.Combine(root, ".staged-old")).FullName;
        var recent = Directory.CreateDirectory(Path.Combine(root, ".staged-recent")).FullName;
        File.WriteAllText(Path.Combine(old, "workload.py"), "secret = 'api key'\n");
        Directory.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddDays(-2));

        _ = new FunctionImageCache(root);

        Assert.False(Directory.Exists(old), "a copy older than any run is removed");
        Assert.True(Directory.Exists(recent), "a run may still be using a recent one");
    }

    [Fact]
    public async Task StageDirectoryAsync_DirectoryWithAPipe_IsRefused_AndLeavesNothing()
    {
        var source = Directory.CreateDirectory(_work.Combine("fn")).FullName;
        await File.WriteAllTextAsync(Path.Combine(source, "workload.py"), "def handle(e, c):\n    return 1\n");
        var mkfifo = System.Diagnostics.Process.Start("mkfifo", [Path.Combine(source, "pipe")])!;
        await mkfifo.WaitForExitAsync();
        var cache = new FunctionImageCache(_work.Combine("cache"));

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => cache.StageDirectoryAsync(source).AsTask());

        Assert.Contains("pipe' is not a regular file, directory or symlink", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_work.Combine("cache")));
    }

    [Fact]
    public async Task BuiltImage_ThroughTheCache_RunsInAVm()
    {
        var (image, hash) = await BuildAsync(
            "from pkg import helper\n\ndef handle(event, cloudcall):\n    return helper.greet(event)\n",
            "def greet(name):\n    return f'hello {name}'\n");
        var cache = new FunctionImageCache(_work.Combine("cache"));

        var directory = await cache.GetDirectoryAsync(hash, _ => ValueTask.FromResult<Stream>(File.OpenRead(image)));
        await using var vm = await sandbox.Backend.StartAsync(new VmSpec(directory) { TemplateKey = hash });
        var outcome = await vm.InvokeAsync(SandboxFixture.Invocation("\"alice\""), new FakeKernel());

        Assert.Equal("hello alice", OutcomeAssert.Ok(outcome).GetString());
    }
}

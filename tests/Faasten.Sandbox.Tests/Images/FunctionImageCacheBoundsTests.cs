using System.Diagnostics;
using Faasten.Sandbox.Images;
using Faasten.Sandbox.Tests.Support;
using Faasten.Tests.Common;

namespace Faasten.Sandbox.Tests.Images;

/// <summary>
/// Bob's images against the worker's disk: a few kilobytes of SquashFS that unpack to far more,
/// images with countless entries, a listing that understates, and a cache filled past its bound.
/// </summary>
public sealed class FunctionImageCacheBoundsTests : IDisposable
{
    private const long MiB = 1024 * 1024;
    private readonly TempDirectory _work = new("faasten-image-bounds");

    public void Dispose() => _work.Dispose();

    private string CacheRoot => _work.Combine("cache");

    [Fact]
    public async Task GetDirectoryAsync_TinyImageOfFiftyMegabytesOfZeros_IsRefusedAndLeavesNothing()
    {
        var image = await BuildAsync("bomb", zeroBytes: 50 * MiB);
        var cache = new FunctionImageCache(CacheRoot, new FunctionImageCacheOptions { MaxUnpackedBytes = 4 * MiB, MaxCacheBytes = 64 * MiB });
        Assert.True(new FileInfo(image).Length < 64 * 1024, "the image is small");

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => cache.GetDirectoryAsync(HashOf(image), Open(image)).AsTask());

        Assert.Contains("unpacks to more than the 4 MiB", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(CacheRoot));
        Assert.Equal(0, cache.CachedBytes);
    }

    [Fact]
    public async Task GetDirectoryAsync_ImageWithTooManyEntries_IsRefusedAndLeavesNothing()
    {
        var image = await BuildAsync("many", files: 40);
        var cache = new FunctionImageCache(CacheRoot, new FunctionImageCacheOptions { MaxEntries = 30 });

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => cache.GetDirectoryAsync(HashOf(image), Open(image)).AsTask());

        Assert.Contains("more than the 30 entries", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(CacheRoot));
    }

    [Fact]
    public async Task GetDirectoryAsync_ListingThatUnderstates_IsStoppedWhileUnpacking()
    {
        // An unsquashfs that lists one small file but extracts an ever-growing one (sparse, so
        // it costs the test no disk): what an image exploiting a listing bug would do.
        var finished = _work.Combine("finished");
        var liar = await UnderstatingUnsquashfsAsync("lying-unsquashfs", $"for i in $(seq 20000); do truncate -s +1M \"$2/workload.py\"; done\ntouch '{finished}'");
        var blob = "any bytes: the tool lies"u8.ToArray();
        var cache = new FunctionImageCache(CacheRoot, new FunctionImageCacheOptions
        {
            MaxUnpackedBytes = 4 * MiB,
            UnpackCheckInterval = TimeSpan.FromMilliseconds(20),
            UnsquashfsPath = liar,
        });

        var e = await Assert.ThrowsAsync<InvalidDataException>(
            () => cache.GetDirectoryAsync(blob.Sha256Hex(), _ => ValueTask.FromResult<Stream>(new MemoryStream(blob))).AsTask());

        Assert.Contains("unpacks to more than the 4 MiB", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(finished), "the extraction was stopped, not measured after it ended");
        Assert.Empty(Directory.GetFileSystemEntries(CacheRoot));
    }

    [Fact]
    public async Task GetDirectoryAsync_CacheOverItsBound_EvictsTheLeastRecentlyUsed()
    {
        var (a, b, c) = (await BuildAsync("a", zeroBytes: MiB), await BuildAsync("b", zeroBytes: MiB), await BuildAsync("c", zeroBytes: MiB));
        var cache = new FunctionImageCache(CacheRoot, TwoImages);

        await cache.GetDirectoryAsync(HashOf(a), Open(a));
        await cache.GetDirectoryAsync(HashOf(b), Open(b));
        await cache.GetDirectoryAsync(HashOf(a), Open(a)); // a is now the more recent
        var directory = await cache.GetDirectoryAsync(HashOf(c), Open(c));

        Assert.True(File.Exists(Path.Combine(directory, "workload.py")));
        Assert.Equal(new[] { HashOf(a), HashOf(c) }.Order(), Directory.GetFileSystemEntries(CacheRoot).Select(Path.GetFileName).Order());
        Assert.True(cache.CachedBytes <= TwoImages.MaxCacheBytes);
    }

    [Fact]
    public async Task AcquireAsync_CacheOverItsBound_KeepsTheLeasedImageThoughLeastRecentlyUsed()
    {
        var (a, b, c) = (await BuildAsync("a", zeroBytes: MiB), await BuildAsync("b", zeroBytes: MiB), await BuildAsync("c", zeroBytes: MiB));
        var cache = new FunctionImageCache(CacheRoot, TwoImages);

        using var held = await cache.AcquireAsync(HashOf(a), Open(a)); // a VM mounts it
        await cache.GetDirectoryAsync(HashOf(b), Open(b));
        await cache.GetDirectoryAsync(HashOf(c), Open(c));

        Assert.True(File.Exists(Path.Combine(held.Directory, "workload.py")));
        Assert.Equal(new[] { HashOf(a), HashOf(c) }.Order(), Directory.GetFileSystemEntries(CacheRoot).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task AcquireAsync_EveryCachedImageInUse_RefusesANewOneUntilOneIsReleased()
    {
        var (a, b, c) = (await BuildAsync("a", zeroBytes: MiB), await BuildAsync("b", zeroBytes: MiB), await BuildAsync("c", zeroBytes: MiB));
        var cache = new FunctionImageCache(CacheRoot, TwoImages);
        var heldA = await cache.AcquireAsync(HashOf(a), Open(a));
        using var heldB = await cache.AcquireAsync(HashOf(b), Open(b));

        var e = await Assert.ThrowsAsync<ImageCacheFullException>(() => cache.AcquireAsync(HashOf(c), Open(c)).AsTask());
        Assert.Contains("image cache is full", e.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(heldA.Directory, "workload.py")));
        Assert.True(File.Exists(Path.Combine(heldB.Directory, "workload.py")));

        heldA.Dispose();
        heldA.Dispose(); // idempotent: b stays held
        using var heldC = await cache.AcquireAsync(HashOf(c), Open(c));

        Assert.Equal(new[] { HashOf(b), HashOf(c) }.Order(), Directory.GetFileSystemEntries(CacheRoot).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task AcquireAsync_ImagesThatOutgrowTheirListingWhileAllAreHeld_StayUsableAndAreEvictedOnRelease()
    {
        // Each image lists 8 KiB and unpacks to 1.5 MiB: the second passes the 2 MiB bound while
        // the first is held, so nothing can be evicted until one is released.
        var understating = await UnderstatingUnsquashfsAsync("understating-unsquashfs", "truncate -s 1536K \"$2/workload.py\"");
        var cache = new FunctionImageCache(CacheRoot, new FunctionImageCacheOptions
        {
            MaxUnpackedBytes = 2 * MiB,
            MaxCacheBytes = 2 * MiB,
            UnsquashfsPath = understating,
        });
        var (first, second) = ("first image"u8.ToArray(), "second image"u8.ToArray());

        using var heldFirst = await cache.AcquireAsync(first.Sha256Hex(), _ => ValueTask.FromResult<Stream>(new MemoryStream(first)));
        var heldSecond = await cache.AcquireAsync(second.Sha256Hex(), _ => ValueTask.FromResult<Stream>(new MemoryStream(second)));

        Assert.True(File.Exists(Path.Combine(heldFirst.Directory, "workload.py")));
        Assert.True(File.Exists(Path.Combine(heldSecond.Directory, "workload.py")));
        Assert.True(cache.CachedBytes > 2 * MiB, "both are held, so the cache is over its bound for now");

        heldSecond.Dispose();

        Assert.True(cache.CachedBytes <= 2 * MiB);
        Assert.True(File.Exists(Path.Combine(heldFirst.Directory, "workload.py")), "the held image stays");
        Assert.Equal([first.Sha256Hex()], Directory.GetFileSystemEntries(CacheRoot).Select(Path.GetFileName));
    }

    [Fact]
    public async Task AcquireAsync_ConcurrentLeasesAndEvictions_NeverRemoveAHeldImage()
    {
        var images = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            images.Add(await BuildAsync($"i{i}", zeroBytes: MiB));
        }
        var cache = new FunctionImageCache(CacheRoot, TwoImages);
        var refused = 0;

        await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            for (var round = 0; round < 15; round++)
            {
                var image = images[(worker + round) % images.Count];
                FunctionImageLease lease;
                try
                {
                    lease = await cache.AcquireAsync(HashOf(image), Open(image));
                }
                catch (ImageCacheFullException)
                {
                    Interlocked.Increment(ref refused);
                    continue;
                }

                using (lease)
                {
                    await Task.Yield();
                    Assert.Equal($"def handle(e, c):\n    return '{Path.GetFileNameWithoutExtension(image)}'\n", await File.ReadAllTextAsync(Path.Combine(lease.Directory, "workload.py")));
                }
            }
        })));

        Assert.True(cache.CachedBytes <= TwoImages.MaxCacheBytes);
        Assert.True(Directory.GetFileSystemEntries(CacheRoot).Length <= 2);
    }

    [Fact]
    public async Task Constructor_OverAnExistingCacheOverItsBound_EvictsTheOldest()
    {
        var (a, b, c) = (await BuildAsync("a", zeroBytes: MiB), await BuildAsync("b", zeroBytes: MiB), await BuildAsync("c", zeroBytes: MiB));
        var loose = new FunctionImageCache(CacheRoot);
        foreach (var image in new[] { a, b, c })
        {
            var directory = await loose.GetDirectoryAsync(HashOf(image), Open(image));
            Directory.SetLastWriteTimeUtc(directory, DateTime.UtcNow.AddMinutes(image == a ? -10 : 0));
        }

        var bounded = new FunctionImageCache(CacheRoot, TwoImages);

        Assert.Equal(new[] { HashOf(b), HashOf(c) }.Order(), Directory.GetFileSystemEntries(CacheRoot).Select(Path.GetFileName).Order());
        Assert.True(bounded.CachedBytes <= TwoImages.MaxCacheBytes);
    }

    [Fact]
    public void Constructor_InvalidOptions_ListsEveryProblem()
    {
        var e = Assert.Throws<ArgumentException>(() => new FunctionImageCache(CacheRoot, new FunctionImageCacheOptions { MaxUnpackedBytes = 1, MaxEntries = 0, UnpackCheckInterval = TimeSpan.Zero }));

        Assert.Contains("MaxUnpackedBytes", e.Message, StringComparison.Ordinal);
        Assert.Contains("MaxEntries", e.Message, StringComparison.Ordinal);
        Assert.Contains("UnpackCheckInterval", e.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// An unsquashfs that lists one 12-byte workload.py whatever the image, then extracts with
    /// <paramref name="extract"/> (a shell snippet; <c>$2</c> is the destination): what an image
    /// exploiting a listing bug would do.
    /// </summary>
    private async Task<string> UnderstatingUnsquashfsAsync(string name, string extract)
    {
        var path = _work.Combine(name);
        await File.WriteAllTextAsync(path, $"""
            #!/bin/bash
            if [ "$1" = "-lln" ]; then
              echo "drwxr-xr-x 0/0 39 2026-01-01 00:00 squashfs-root"
              echo "-rw-r--r-- 0/0 12 2026-01-01 00:00 squashfs-root/workload.py"
              exit 0
            fi
            while [ "$1" != "-dest" ]; do shift; done
            mkdir -p "$2"

            """ + extract + "\n");
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        return path;
    }

    // Room for two images of a 1 MiB file each (plus a few blocks), not three.
    private static FunctionImageCacheOptions TwoImages => new() { MaxUnpackedBytes = 2 * MiB, MaxCacheBytes = 5 * MiB / 2 };

    private static string HashOf(string image) => File.ReadAllBytes(image).Sha256Hex();

    private static Func<CancellationToken, ValueTask<Stream>> Open(string image) => _ => ValueTask.FromResult<Stream>(File.OpenRead(image));

    /// <summary>An image of a workload naming it, plus <paramref name="zeroBytes"/> of zeros and <paramref name="files"/> empty files.</summary>
    private async Task<string> BuildAsync(string name, long zeroBytes = 0, int files = 0)
    {
        var source = _work.Combine($"src-{name}");
        Directory.CreateDirectory(source);
        await File.WriteAllTextAsync(Path.Combine(source, "workload.py"), $"def handle(e, c):\n    return '{name}'\n");
        if (zeroBytes > 0)
        {
            using var zeros = File.Create(Path.Combine(source, "zeros"));
            zeros.SetLength(zeroBytes); // sparse: mksquashfs reads zeros, the disk holds none
        }
        for (var i = 0; i < files; i++)
        {
            await File.WriteAllTextAsync(Path.Combine(source, $"f{i}"), "");
        }

        var image = _work.Combine($"{name}.img");
        using var mksquashfs = Process.Start(new ProcessStartInfo("mksquashfs", [source, image, "-quiet", "-no-progress", "-all-root"]) { RedirectStandardOutput = true })!;
        await mksquashfs.WaitForExitAsync();
        Assert.Equal(0, mksquashfs.ExitCode);
        return image;
    }
}

using Faasten.Fs;
using Faasten.Fs.Collection;
using Faasten.Fs.Objects;

namespace Faasten.Tests.Common.Fs;

/// <summary>The collector against the monitor's operations, run at the same time on the same store.</summary>
public abstract class GarbageCollectionTests : FileSystemStoreTestBase
{
    private static readonly TimeSpan Grace = TimeSpan.FromHours(1);

    private GarbageCollector Collector(Func<ObjectId, ValueTask>? scanned = null, TimeSpan? grace = null) =>
        new(Store, Blobs, new CollectorOptions { Grace = grace ?? Grace }, Clock) { DirectoryScanned = scanned };

    [Fact]
    public async Task Collect_ReclaimsUnlinkedSubtree_KeepsEverythingReachable()
    {
        Assert.Equal(FsResult.Ok, await Fs.CreateDirectoryAsync(Alice(), $"{AliceHome}:gone", Private));
        Assert.Equal(FsResult.Ok, await Fs.CreateFileAsync(Alice(), $"{AliceHome}:gone:f", Private, "x"u8.ToArray()));
        Assert.Equal(FsResult.Ok, await Fs.CreateFileAsync(Alice(), $"{AliceHome}:kept", Private, "y"u8.ToArray()));
        var gone = await IdOfAsync($"{AliceHome}:gone");
        var inside = await IdOfAsync($"{AliceHome}:gone:f");
        Assert.Equal(FsResult.Ok, await Fs.DeleteAsync(Alice(), $"{AliceHome}:gone"));

        // Within the grace period the unlinked directory is kept, with what it holds.
        var early = await Collector().CollectAsync();
        Assert.Equal(0, early.ObjectsDeleted);
        Assert.NotNull(await Store.GetAsync(gone.StoreKey));

        Clock.Advance(Grace * 2);
        var report = await Collector().CollectAsync();

        Assert.Equal(2, report.ObjectsDeleted);
        Assert.Null(await Store.GetAsync(gone.StoreKey));
        Assert.Null(await Store.GetAsync(inside.StoreKey));
        Assert.Null(await Store.GetAsync(FsKeys.Entry(gone, "f")));
        Assert.Equal("y"u8.ToArray(), (await Fs.ReadFileAsync(Alice(), $"{AliceHome}:kept")).Value);
        await AssertConsistentAsync();
    }

    [Fact]
    public async Task Collect_KeepsAnObjectStillHardLinkedElsewhere()
    {
        Assert.Equal(FsResult.Ok, await Fs.CreateFileAsync(Alice(), $"{AliceHome}:a", Private, "x"u8.ToArray()));
        Assert.Equal(FsResult.Ok, await Fs.HardLinkAsync(Alice(), $"{AliceHome}:a", $"{AliceHome}:b"));
        Assert.Equal(FsResult.Ok, await Fs.DeleteAsync(Alice(), $"{AliceHome}:a"));
        Clock.Advance(Grace * 2);

        await Collector().CollectAsync();

        Assert.Equal("x"u8.ToArray(), (await Fs.ReadFileAsync(Alice(), $"{AliceHome}:b")).Value);
    }

    /// <summary>
    /// The race the deletion barrier exists for: while the collector marks, an object is hard
    /// linked from a directory it has not scanned into one it already has, and its old name is
    /// removed. Without the barrier it is never marked and is collected while linked.
    /// </summary>
    [Fact]
    public async Task Collect_ObjectMovedFromUnscannedToScannedDirectoryDuringMark_IsKept()
    {
        Assert.Equal(FsResult.Ok, await Fs.CreateDirectoryAsync(Alice(), $"{AliceHome}:a", Private));
        Assert.Equal(FsResult.Ok, await Fs.CreateDirectoryAsync(Alice(), $"{AliceHome}:b", Private));
        Assert.Equal(FsResult.Ok, await Fs.CreateFileAsync(Alice(), $"{AliceHome}:a:x", Private, "a"u8.ToArray()));
        Assert.Equal(FsResult.Ok, await Fs.CreateFileAsync(Alice(), $"{AliceHome}:b:y", Private, "b"u8.ToArray()));
        var a = await IdOfAsync($"{AliceHome}:a");
        var b = await IdOfAsync($"{AliceHome}:b");
        Clock.Advance(Grace * 2);

        var moved = 0;
        string? movedTo = null;
        var collector = Collector(async scanned =>
        {
            if ((scanned == a || scanned == b) && Interlocked.Exchange(ref moved, 1) == 0)
            {
                // 'to' was just scanned, 'from' not yet: move the file of 'from' into 'to'.
                var (to, from, file) = scanned == a ? ("a", "b", "y") : ("b", "a", "x");
                Assert.Equal(FsResult.Ok, await Fs.HardLinkAsync(Alice(), $"{AliceHome}:{from}:{file}", $"{AliceHome}:{to}:{file}"));
                Assert.Equal(FsResult.Ok, await Fs.DeleteAsync(Alice(), $"{AliceHome}:{from}:{file}"));
                movedTo = $"{AliceHome}:{to}:{file}";
            }
        });

        await collector.CollectAsync();

        Assert.Equal(1, moved);
        var content = (await Fs.ReadFileAsync(Alice(), movedTo!)).Value;
        Assert.Equal(movedTo!.EndsWith('x') ? "a"u8.ToArray() : "b"u8.ToArray(), content);
        await AssertConsistentAsync();
    }

    [Fact]
    public async Task Collect_RacingWriters_NeverCollectsAReachableObject()
    {
        Assert.Equal(FsResult.Ok, await Fs.CreateDirectoryAsync(Alice(), $"{AliceHome}:a", Private));
        Assert.Equal(FsResult.Ok, await Fs.CreateDirectoryAsync(Alice(), $"{AliceHome}:b", Private));
        const int files = 40;
        for (var i = 0; i < files; i++)
        {
            Assert.Equal(FsResult.Ok, await Fs.CreateFileAsync(Alice(), $"{AliceHome}:a:f{i}", Private, new[] { (byte)i }));
            Assert.Equal(FsResult.Ok, await Fs.CreateFileAsync(Alice(), $"{AliceHome}:trash{i}", Private));
            Assert.Equal(FsResult.Ok, await Fs.DeleteAsync(Alice(), $"{AliceHome}:trash{i}"));
        }

        Clock.Advance(Grace * 2);
        var writer = await OpenFileSystemAsync();
        using var stop = new CancellationTokenSource();
        var where = Enumerable.Repeat("a", files).ToArray();

        // Moves every file back and forth between a and b (hard link, then unlink) while collecting.
        var moving = Task.Run(async () =>
        {
            var rounds = 0;
            while (!stop.IsCancellationRequested || rounds < 2)
            {
                for (var i = 0; i < files; i++)
                {
                    var to = where[i] == "a" ? "b" : "a";
                    Assert.Equal(FsResult.Ok, await writer.HardLinkAsync(Alice(), $"{AliceHome}:{where[i]}:f{i}", $"{AliceHome}:{to}:f{i}"));
                    Assert.Equal(FsResult.Ok, await writer.DeleteAsync(Alice(), $"{AliceHome}:{where[i]}:f{i}"));
                    where[i] = to;
                }

                rounds++;
            }
        });

        long deleted = 0;
        for (var round = 0; round < 4; round++)
        {
            deleted += (await Collector().CollectAsync()).ObjectsDeleted;
        }

        await stop.CancelAsync();
        await moving;

        Assert.True(deleted >= files, $"only {deleted} objects were collected; the unlinked ones should have been");
        for (var i = 0; i < files; i++)
        {
            Assert.Equal(new[] { (byte)i }, (await Fs.ReadFileAsync(Alice(), $"{AliceHome}:{where[i]}:f{i}")).Value);
        }

        await AssertConsistentAsync();
    }

    [Fact]
    public async Task Collect_UploadedButUnlinkedBlob_IsKeptThroughTheGracePeriodOnly()
    {
        var hash = await PutBlobAsync("not linked yet"u8.ToArray());
        File.SetLastWriteTimeUtc(Directory.EnumerateFiles(Path.Combine(BlobRoot, hash[..2])).Single(), DateTime.UtcNow.AddMinutes(-1));

        await new GarbageCollector(Store, Blobs, new CollectorOptions { Grace = Grace }).CollectAsync();
        Assert.NotNull(await Blobs.GetLengthAsync(hash));

        var report = await new GarbageCollector(Store, Blobs, new CollectorOptions { Grace = TimeSpan.Zero }).CollectAsync();
        Assert.Null(await Blobs.GetLengthAsync(hash));
        Assert.Equal(1, report.BlobsDeleted);
    }

    [Fact]
    public async Task Collect_KeepsLinkedBlobs_AndReclaimsADeletedGatesImage()
    {
        var linked = await PutBlobAsync("linked"u8.ToArray());
        var image = await PutBlobAsync("image"u8.ToArray());
        Assert.Equal(FsResult.Ok, await Fs.LinkBlobAsync(Alice(), $"{AliceHome}:photo", linked, Private));
        var alice = Faasten.Labels.Component.Parse("alice");
        Assert.Equal(FsResult.Ok, await Fs.CreateGateAsync(Alice(), $"{AliceHome}:gate", alice, alice, new FunctionSpec(image, "python3", 128, 1000), label: Private));

        // On the manual clock (years ahead of the blob files' times) every blob is past its grace.
        Clock.Advance(Grace * 2);
        await Collector().CollectAsync();
        Assert.NotNull(await Blobs.GetLengthAsync(linked));
        Assert.NotNull(await Blobs.GetLengthAsync(image));

        Assert.Equal(FsResult.Ok, await Fs.DeleteAsync(Alice(), $"{AliceHome}:gate"));
        Clock.Advance(Grace * 2);
        var report = await Collector().CollectAsync();

        Assert.NotNull(await Blobs.GetLengthAsync(linked));
        Assert.Null(await Blobs.GetLengthAsync(image));
        Assert.Equal(1, report.ObjectsDeleted);
    }

    [Fact]
    public async Task Collect_UpdatedGatesOldImage_IsKeptThroughTheGracePeriod()
    {
        var first = await PutBlobAsync("v1"u8.ToArray());
        var second = await PutBlobAsync("v2"u8.ToArray());
        var alice = Faasten.Labels.Component.Parse("alice");
        Assert.Equal(FsResult.Ok, await Fs.CreateGateAsync(Alice(), $"{AliceHome}:gate", alice, alice, new FunctionSpec(first, "python3", 128, 1000), label: Private));
        Assert.Equal(FsResult.Ok, await Fs.UpdateGateAsync(Alice(), $"{AliceHome}:gate", alice, alice, new FunctionSpec(second, "python3", 128, 1000)));

        // The manual clock is years ahead of the blob files' times: only the gate's shade keeps 'first'.
        await Collector().CollectAsync();
        Assert.NotNull(await Blobs.GetLengthAsync(first));

        Clock.Advance(Grace * 2);
        await Collector().CollectAsync();
        Assert.Null(await Blobs.GetLengthAsync(first));
        Assert.NotNull(await Blobs.GetLengthAsync(second));
    }

    [Fact]
    public async Task Commit_OfContentAlreadyStored_RefreshesItsTime_SoTheCollectorKeepsIt()
    {
        var hash = await PutBlobAsync("same"u8.ToArray());
        var path = Directory.EnumerateFiles(Path.Combine(BlobRoot, hash[..2])).Single();
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddDays(-2));

        Assert.Equal(hash, await PutBlobAsync("same"u8.ToArray()));
        await new GarbageCollector(Store, Blobs, new CollectorOptions { Grace = TimeSpan.FromHours(1) }).CollectAsync();

        Assert.NotNull(await Blobs.GetLengthAsync(hash));
    }
}

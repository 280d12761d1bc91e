using Faasten.Fs.Collection;
using Faasten.Fs.Storage;
using Faasten.Labels;
using Faasten.Tests.Common;
using Faasten.Tests.Common.Fs;
using Faasten.Tests.Common.Storage;
using Microsoft.Data.Sqlite;

namespace Faasten.Fs.Tests.Storage;

/// <summary>SIGKILL in the middle of link storms and of garbage collection, then a restart on the same data.</summary>
public sealed class FileSystemCrashTests : IDisposable
{
    private readonly TempDirectory _data = new("faasten-fs-crash");

    private static SecurityContext Alice() => new(Component.Parse("alice"));

    [Fact]
    public async Task KilledDuringLinkStorms_EveryAcknowledgedLinkAndUnlinkSurvives()
    {
        var random = new Random(11);
        var linked = new HashSet<string>(StringComparer.Ordinal);
        for (var run = 1; run <= 3; run++)
        {
            using var child = CrashHelperProcess.Start("links", _data.Path, run.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await child.WaitForLineAsync(l => l == "ready", TimeSpan.FromSeconds(60));
            await Task.Delay(random.Next(0, 200));
            await child.KillAsync();

            // A writer whose last acknowledged link was the third of a group was unlinking the one
            // before it when killed: that name may be gone without an acknowledgement.
            var inFlightUnlinks = new HashSet<string>(StringComparer.Ordinal);
            foreach (var line in child.Lines)
            {
                var parts = line.Split(' ');
                if (parts[0] == "linked")
                {
                    linked.Add(parts[1]);
                    var i = int.Parse(parts[1][(parts[1].LastIndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
                    var writer = parts[1][..parts[1].LastIndexOf('-')];
                    inFlightUnlinks.RemoveWhere(n => n.StartsWith(writer + "-", StringComparison.Ordinal));
                    if (i % 3 == 2)
                    {
                        inFlightUnlinks.Add($"{writer}-{i - 1}");
                    }
                }
                else if (parts[0] == "unlinked")
                {
                    linked.Remove(parts[1]);
                    inFlightUnlinks.Remove(parts[1]);
                }
            }

            AssertIntact();
            await using var store = SqliteMetadataStore.Open(_data.Combine("metadata.db"));
            var fs = new FileSystem(store, new LocalBlobStore(_data.Combine("blobs")));
            await fs.BootstrapAsync();
            var listed = (await fs.ListAsync(Alice(), "~:storm")).Value!.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);

            // Acknowledged links are there; an unlink acknowledged is gone; only an operation in
            // flight at the kill (at most one per writer) may have landed either way.
            Assert.Empty(linked.Except(listed).Except(inFlightUnlinks));
            Assert.True(listed.Except(linked).Count() <= 4 * 2, $"unacknowledged names: {string.Join(", ", listed.Except(linked))}");
            foreach (var name in linked.Take(20))
            {
                Assert.Equal(System.Text.Encoding.UTF8.GetBytes(name), (await fs.ReadFileAsync(Alice(), "~:storm:" + name)).Value);
            }

            await FsConsistency.AssertAsync(fs);
            linked = listed;
        }
    }

    [Fact]
    public async Task KilledDuringCollection_RestartsConsistent_AndTheNextCollectionFinishesTheJob()
    {
        var kept = new List<string>();
        for (var run = 0; run < 3; run++)
        {
            using var child = CrashHelperProcess.Start("gc", _data.Path);
            await child.WaitForLineAsync(l => l == "ready", TimeSpan.FromSeconds(60));

            // Kill it inside a collection: right after it announces one.
            await child.WaitForLineAsync(l => l == "collecting", TimeSpan.FromSeconds(60));
            await Task.Delay(run * 3);
            await child.KillAsync();
            kept.AddRange(child.Lines.Where(l => l.StartsWith("linked ", StringComparison.Ordinal)).Select(l => l[7..]));

            AssertIntact();
            await using var store = SqliteMetadataStore.Open(_data.Combine("metadata.db"));
            var fs = new FileSystem(store, new LocalBlobStore(_data.Combine("blobs")));
            await fs.BootstrapAsync();
            foreach (var name in kept)
            {
                Assert.Equal(System.Text.Encoding.UTF8.GetBytes(name), (await fs.ReadFileAsync(Alice(), "~:kept:" + name)).Value);
            }

            await FsConsistency.AssertAsync(fs);
        }

        await using (var store = SqliteMetadataStore.Open(_data.Combine("metadata.db")))
        {
            var fs = new FileSystem(store, new LocalBlobStore(_data.Combine("blobs")));
            var collector = new GarbageCollector(fs, new CollectorOptions { Grace = TimeSpan.Zero });
            await collector.CollectAsync();

            // After a complete collection nothing unreachable is left: every object is reachable.
            var again = await collector.CollectAsync();
            Assert.Equal(0, again.ObjectsDeleted);
            Assert.Equal(again.ObjectsScanned, again.ObjectsReachable);
            Assert.Equal(kept.Count, (await fs.ListAsync(Alice(), "~:kept")).Value!.Count);
        }
    }

    public void Dispose() => _data.Dispose();

    private void AssertIntact()
    {
        using var connection = new SqliteConnection($"Data Source={_data.Combine("metadata.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        Assert.Equal("ok", command.ExecuteScalar());
    }
}

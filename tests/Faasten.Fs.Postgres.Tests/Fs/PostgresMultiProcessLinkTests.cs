using Faasten.Fs.Storage;
using Faasten.Labels;
using Faasten.Tests.Common;
using Faasten.Tests.Common.Fs;
using Faasten.Tests.Common.Postgres;
using Faasten.Tests.Common.Storage;

namespace Faasten.Fs.Postgres.Tests.Fs;

/// <summary>Separate processes linking distinct names into one directory on one PostgreSQL table.</summary>
public sealed class PostgresMultiProcessLinkTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task SeveralProcesses_LinkingDistinctNames_LoseNoEntry_AndSeeNoConflict()
    {
        var storage = new PostgresStoreTestStorage(database);
        const int processes = 3, each = 60;
        var children = Enumerable.Range(0, processes)
            .Select(p => CrashHelperProcess.Start("pglinks", database.ConnectionString, storage.Options.Table, $"p{p}", each.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();
        try
        {
            // A conflict or lost link would end a helper with an exception before its last line.
            await Task.WhenAll(children.Select((c, p) => c.WaitForLineAsync(l => l == $"linked p{p}-{each - 1}", TimeSpan.FromSeconds(120))));
        }
        finally
        {
            children.ForEach(c => c.Dispose());
        }

        await using var store = await storage.OpenAsync();
        using var blobs = new TempDirectory("faasten-pg-mp");
        var fs = new FileSystem(store, new LocalBlobStore(blobs.Path));
        var names = (await fs.ListAsync(new SecurityContext(Component.Parse("alice")), "~:shared")).Value!.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(processes * each, names.Count);
        Assert.All(Enumerable.Range(0, processes).SelectMany(p => Enumerable.Range(0, each).Select(i => $"p{p}-{i}")), n => Assert.Contains(n, names));
        await FsConsistency.AssertAsync(fs);
    }
}

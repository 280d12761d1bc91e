using Faasten.Fs.Storage;
using Faasten.Labels;
using Faasten.Tests.Common;
using Faasten.Tests.Common.Postgres;

namespace Faasten.Fs.Postgres.Tests;

/// <summary>
/// The monitor's read-modify-write of directories and files over PostgreSQL, from several
/// file-system instances with pools of their own (as several servers would be), at once.
/// </summary>
public sealed class PostgresFileSystemConcurrencyTests(PostgresDatabaseFixture database)
    : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private const int Instances = 4;

    private static readonly Label Private = Label.Parse("alice,alice");

    private readonly PostgresStoreTestStorage _storage = new(database);
    private readonly TempDirectory _blobs = new("faasten-pgfs");
    private readonly List<IMetadataStore> _stores = [];
    private readonly List<FileSystem> _systems = [];

    public async Task InitializeAsync()
    {
        var blobs = new LocalBlobStore(_blobs.Path);
        for (var i = 0; i < Instances; i++)
        {
            var store = await _storage.OpenAsync();
            _stores.Add(store);
            _systems.Add(new FileSystem(store, blobs));
        }
        // Every instance bootstraps, as every server does on start; only one root results.
        await Task.WhenAll(_systems.Select(fs => fs.BootstrapAsync().AsTask()));
        Assert.True((await _systems[0].AddUserAsync(new SecurityContext(Component.False), "alice")).IsOk);
        Assert.True((await _systems[1].CreateDirectoryAsync(Alice(), "~:shared", Private)).IsOk);
    }

    // A computation's context floats (reads taint it): one per operation, never shared.
    private static SecurityContext Alice() => new(Component.Parse("alice"));

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
        _blobs.Dispose();
    }

    [Fact]
    public async Task LinksIntoOneDirectory_FromSeveralConnections_LoseNoEntry()
    {
        const int tasksPerInstance = 4, each = 15;
        await Task.WhenAll(_systems.SelectMany((fs, i) => Enumerable.Range(0, tasksPerInstance).Select(t => Task.Run(async () =>
        {
            for (var n = 0; n < each; n++)
            {
                var created = await fs.CreateFileAsync(Alice(), $"~:shared:i{i}-t{t}-{n}", Private);
                Assert.True(created.IsOk, created.ToString());
            }
        }))));

        foreach (var fs in _systems)
        {
            var names = (await fs.ListAsync(Alice(), "~:shared")).Value!.Select(e => e.Name).ToHashSet();
            Assert.Equal(Instances * tasksPerInstance * each, names.Count);
            Assert.Contains($"i{Instances - 1}-t{tasksPerInstance - 1}-{each - 1}", names);
        }
    }

    [Fact]
    public async Task WritesToOneFile_FromSeveralConnections_LeaveOneCompleteValue()
    {
        Assert.True((await _systems[0].CreateFileAsync(Alice(), "~:shared:f", Private)).IsOk);
        var values = Enumerable.Range(0, 12).Select(i => Enumerable.Repeat((byte)(i + 1), 256 * 1024).ToArray()).ToArray();

        await Task.WhenAll(values.Select((v, i) => Task.Run(async () =>
        {
            var written = await _systems[i % Instances].WriteFileAsync(Alice(), "~:shared:f", v);
            Assert.True(written.IsOk, written.ToString());
        })));

        var final = (await _systems[2].ReadFileAsync(Alice(), "~:shared:f")).Value!;
        Assert.Equal(256 * 1024, final.Length);
        Assert.Contains(values, v => v.AsSpan().SequenceEqual(final));
    }
}

using System.Text.Json;
using Faasten.Fs.Storage;

namespace Faasten.Tests.Common.Storage;

/// <summary>
/// Optimistic concurrency under contention. Work is spread over several store instances
/// on the same storage (separate connections, as separate processes would have) and runs
/// on thread-pool threads.
/// </summary>
public abstract class MetadataStoreConcurrencyTests : MetadataStoreTestBase
{
    private const int Clients = 3;

    [Fact]
    public async Task CasLoopLinks_16TasksX50_LoseNoEntry()
    {
        const int tasks = 16;
        const int linksPerTask = 50;
        var stores = await OpenClientsAsync();

        await Task.WhenAll(Enumerable.Range(0, tasks).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < linksPerTask; i++)
            {
                await LinkAsync(stores[t % stores.Length], "dir:shared", $"t{t}-{i}");
            }
        })));

        var stored = (await Store.GetAsync("dir:shared"))!.Value;
        var entries = JsonSerializer.Deserialize<SortedSet<string>>(stored.Value)!;
        var expected = Enumerable.Range(0, tasks).SelectMany(t => Enumerable.Range(0, linksPerTask).Select(i => $"t{t}-{i}"));
        Assert.Equal(expected.Order(StringComparer.Ordinal), entries.Order(StringComparer.Ordinal));

        // One insert, then one successful swap per further entry: no write was lost or doubled.
        Assert.Equal(tasks * linksPerTask, stored.Version);
    }

    [Fact]
    public async Task ConcurrentPuts_LeaveOneCompleteValueAndNoTornReads()
    {
        const int tasks = 16;
        const int putsPerTask = 8;
        const int size = 64 * 1024;
        var stores = await OpenClientsAsync();
        using var done = new CancellationTokenSource();

        var reader = Task.Run(async () =>
        {
            var reads = 0;
            while (!done.IsCancellationRequested || reads == 0)
            {
                if (await Store.GetAsync("file") is { } seen)
                {
                    AssertUniform(seen.Value, size);
                }

                reads++;
            }
        });
        await Task.WhenAll(Enumerable.Range(0, tasks).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < putsPerTask; i++)
            {
                var fill = (byte)((t * putsPerTask) + i);
                await stores[t % stores.Length].PutAsync("file", Enumerable.Repeat(fill, size).ToArray());
            }
        })));
        await done.CancelAsync();
        await reader;

        var stored = (await Store.GetAsync("file"))!.Value;
        AssertUniform(stored.Value, size);
        Assert.Equal(tasks * putsPerTask, stored.Version);
    }

    [Fact]
    public async Task ConcurrentInsertIfAbsent_ExactlyOneWins()
    {
        var stores = await OpenClientsAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(t => Task.Run(async () =>
            (Task: t, Won: await stores[t % stores.Length].InsertIfAbsentAsync("once", new[] { (byte)t })))));

        var winner = Assert.Single(results, r => r.Won);
        var stored = (await Store.GetAsync("once"))!.Value;
        Assert.Equal([(byte)winner.Task], stored.Value);
        Assert.Equal(1, stored.Version);
    }

    [Fact]
    public async Task ConcurrentCompareAndSwap_SameVersion_ExactlyOneWins()
    {
        var stores = await OpenClientsAsync();
        var version = await Store.PutAsync("k", new byte[] { 0 });

        var results = await Task.WhenAll(Enumerable.Range(1, 16).Select(t => Task.Run(async () =>
            (Task: t, Won: await stores[t % stores.Length].CompareAndSwapAsync("k", version, new[] { (byte)t })))));

        var winner = Assert.Single(results, r => r.Won);
        var stored = (await Store.GetAsync("k"))!.Value;
        Assert.Equal([(byte)winner.Task], stored.Value);
        Assert.Equal(version + 1, stored.Version);
    }

    [Fact]
    public async Task ConcurrentVersionedDeletes_ExactlyOneWins()
    {
        var stores = await OpenClientsAsync();
        var version = await Store.PutAsync("k", new byte[] { 1 });

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(t => Task.Run(async () =>
            await stores[t % stores.Length].DeleteAsync("k", version))));

        Assert.Single(results, won => won);
        Assert.Null(await Store.GetAsync("k"));
    }

    /// <summary>The read-modify-write a directory link does: add a name to a set, retrying on conflict.</summary>
    private static async Task LinkAsync(IMetadataStore store, string key, string entry)
    {
        while (true)
        {
            var current = await store.GetAsync(key);
            if (current is null)
            {
                if (await store.InsertIfAbsentAsync(key, JsonSerializer.SerializeToUtf8Bytes(new SortedSet<string>(StringComparer.Ordinal) { entry })))
                {
                    return;
                }

                continue;
            }

            var entries = JsonSerializer.Deserialize<SortedSet<string>>(current.Value.Value)!;
            Assert.True(entries.Add(entry), $"{entry} was already linked");
            if (await store.CompareAndSwapAsync(key, current.Value.Version, JsonSerializer.SerializeToUtf8Bytes(entries)))
            {
                return;
            }
        }
    }

    private static void AssertUniform(byte[] value, int size)
    {
        Assert.Equal(size, value.Length);
        Assert.True(value.AsSpan().IndexOfAnyExcept(value[0]) < 0, "a value mixes bytes of two writes");
    }

    private async Task<IMetadataStore[]> OpenClientsAsync()
    {
        var stores = new IMetadataStore[Clients];
        stores[0] = Store;
        for (var i = 1; i < Clients; i++)
        {
            stores[i] = await OpenAnotherStoreAsync();
        }

        return stores;
    }
}

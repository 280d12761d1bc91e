using System.Text;
using Faasten.Fs.Storage;

namespace Faasten.Tests.Common.Storage;

/// <summary>
/// Opens stores for one test and disposes them afterwards. <see cref="CreateStoreAsync"/>
/// must return a new store over the same storage each time it is called within a test
/// (a second client, or a reopen), and storage no other test sees.
/// </summary>
public abstract class MetadataStoreTestBase : IAsyncLifetime
{
    private readonly List<IMetadataStore> _stores = [];

    protected static IComparer<string> Utf8Order { get; } =
        Comparer<string>.Create((x, y) => Encoding.UTF8.GetBytes(x).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y)));

    protected IMetadataStore Store { get; private set; } = null!;

    public async Task InitializeAsync() => Store = await OpenAnotherStoreAsync();

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        await DeleteStorageAsync();
    }

    protected abstract Task<IMetadataStore> CreateStoreAsync();

    /// <summary>Removes what the test stored, after every store is disposed.</summary>
    protected virtual Task DeleteStorageAsync() => Task.CompletedTask;

    protected async Task<IMetadataStore> OpenAnotherStoreAsync()
    {
        var store = await CreateStoreAsync();
        _stores.Add(store);
        return store;
    }

    protected static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    protected static async Task<List<KeyValuePair<string, VersionedValue>>> ScanAsync(IMetadataStore store, string prefix)
    {
        var entries = new List<KeyValuePair<string, VersionedValue>>();
        await foreach (var entry in store.ScanAsync(prefix))
        {
            entries.Add(entry);
        }

        return entries;
    }
}

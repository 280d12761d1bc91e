using Faasten.Fs;
using Faasten.Fs.Objects;
using Faasten.Fs.Storage;
using Faasten.Labels;

namespace Faasten.Tests.Common.Fs;

/// <summary>
/// File systems over one metadata storage (each on a store of its own, as separate servers
/// would be) and one blob directory, bootstrapped with users alice and bob on a manual clock.
/// Subclasses say how to open the metadata store; the same tests then run on every backend.
/// </summary>
public abstract class FileSystemStoreTestBase : IAsyncLifetime
{
    private readonly List<IMetadataStore> _stores = [];
    private readonly TempDirectory _blobDirectory = new("faasten-fs-store");

    protected ManualTimeProvider Clock { get; } = new();

    protected LocalBlobStore Blobs { get; private set; } = null!;

    protected FileSystem Fs { get; private set; } = null!;

    protected IMetadataStore Store => _stores[0];

    protected string BlobRoot => _blobDirectory.Path;

    public async Task InitializeAsync()
    {
        Blobs = new LocalBlobStore(_blobDirectory.Path);
        if (!BootstrapOnStart)
        {
            return;
        }

        Fs = await OpenFileSystemAsync();
        Assert.Equal(FsResult.Ok, await Fs.AddUserAsync(Super(), "alice"));
        Assert.Equal(FsResult.Ok, await Fs.AddUserAsync(Super(), "bob"));
    }

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        await DeleteStorageAsync();
        _blobDirectory.Dispose();
    }

    /// <summary>False for tests that prepare the storage themselves before anything bootstraps it.</summary>
    protected virtual bool BootstrapOnStart => true;

    /// <summary>A new store over this test's storage each call.</summary>
    protected abstract Task<IMetadataStore> CreateStoreAsync();

    protected virtual Task DeleteStorageAsync() => Task.CompletedTask;

    protected async Task<IMetadataStore> OpenStoreAsync()
    {
        var store = await CreateStoreAsync();
        _stores.Add(store);
        return store;
    }

    /// <summary>Another bootstrapped file system on a store of its own over the same storage.</summary>
    protected async Task<FileSystem> OpenFileSystemAsync()
    {
        var fs = new FileSystem(await OpenStoreAsync(), Blobs, Clock);
        await fs.BootstrapAsync();
        return fs;
    }

    protected static SecurityContext Super() => new(Component.False);

    protected static SecurityContext Alice() => new(Component.Parse("alice"));

    protected static Label L(string text) => Label.Parse(text);

    protected const string AliceHome = "home:<alice,alice>";

    protected static readonly Label Private = Label.Parse("alice,alice");

    protected async Task<ObjectId> IdOfAsync(string path)
    {
        var located = await Fs.ResolveAsync(Super(), path, default);
        Assert.True(located.IsOk, located.ToString());
        return located.Value.Id!.Value;
    }

    protected async Task<string> PutBlobAsync(byte[] data)
    {
        await using var writer = Blobs.BeginWrite();
        await writer.WriteAsync(data);
        return await writer.CommitAsync();
    }

    /// <summary>Fails on any name that leads nowhere; returns every path reachable from the root.</summary>
    protected Task<HashSet<string>> AssertConsistentAsync() => FsConsistency.AssertAsync(Fs);
}

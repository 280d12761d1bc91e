using Faasten.Fs;
using Faasten.Fs.Storage;

namespace Faasten.Hosting;

/// <summary>The embedded backends opened on a data directory, with the file system bootstrapped on them.</summary>
internal sealed class EmbeddedStores : IAsyncDisposable
{
    private EmbeddedStores(SqliteMetadataStore metadata, LocalBlobStore blobs)
    {
        Metadata = metadata;
        Blobs = blobs;
        FileSystem = new FileSystem(metadata, blobs);
    }

    public SqliteMetadataStore Metadata { get; }

    public LocalBlobStore Blobs { get; }

    public FileSystem FileSystem { get; }

    public static async Task<EmbeddedStores> OpenAsync(DataDirectory data, CancellationToken ct = default)
    {
        var metadata = SqliteMetadataStore.Open(data.MetadataFile);
        try
        {
            var stores = new EmbeddedStores(metadata, new LocalBlobStore(data.BlobRoot));
            await stores.FileSystem.BootstrapAsync(ct).ConfigureAwait(false);
            return stores;
        }
        catch
        {
            await metadata.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public ValueTask DisposeAsync() => Metadata.DisposeAsync();
}

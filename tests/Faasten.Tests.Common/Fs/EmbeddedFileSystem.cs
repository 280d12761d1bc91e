using Faasten.Fs;
using Faasten.Fs.Storage;
using Faasten.Labels;

namespace Faasten.Tests.Common.Fs;

/// <summary>
/// A bootstrapped labeled file system on the embedded stores (SQLite + local blobs) in a temp
/// directory, with users alice and bob: what the test harnesses of several projects build on.
/// </summary>
public sealed class EmbeddedFileSystem : IAsyncDisposable
{
    private readonly TempDirectory _dir;
    private readonly SqliteMetadataStore _metadata;

    private EmbeddedFileSystem(TempDirectory dir)
    {
        _dir = dir;
        _metadata = SqliteMetadataStore.Open(dir.Combine("metadata.db"));
        Blobs = new LocalBlobStore(dir.Combine("blobs"));
        Fs = new FileSystem(_metadata, Blobs);
    }

    public FileSystem Fs { get; }

    public LocalBlobStore Blobs { get; }

    /// <summary>The temp directory holding the stores (blobs under <c>blobs</c>).</summary>
    public TempDirectory Directory => _dir;

    public static async Task<EmbeddedFileSystem> CreateAsync(string prefix)
    {
        var embedded = new EmbeddedFileSystem(new TempDirectory(prefix));
        await embedded.Fs.BootstrapAsync();
        foreach (var user in new[] { "alice", "bob" })
        {
            Assert.Equal(FsResult.Ok, await embedded.Fs.AddUserAsync(new SecurityContext(Component.False), user));
        }
        return embedded;
    }

    /// <summary>Stores <paramref name="data"/> as a blob (linked nowhere) and returns its hash.</summary>
    public async Task<string> PutBlobAsync(byte[] data)
    {
        await using var writer = Blobs.BeginWrite();
        await writer.WriteAsync(data);
        return await writer.CommitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _metadata.DisposeAsync();
        _dir.Dispose();
    }
}

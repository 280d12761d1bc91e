using Faasten.Fs.Storage;
using Faasten.Labels;

namespace Faasten.Fs.Tests.Monitor;

/// <summary>A bootstrapped file system on the embedded stores (SQLite + local blobs) in a temp directory, with users alice and bob.</summary>
internal sealed class FsHarness : IAsyncDisposable
{
    private readonly string _dir;
    private readonly SqliteMetadataStore _metadata;

    private FsHarness(string dir, SqliteMetadataStore metadata, LocalBlobStore blobs)
    {
        _dir = dir;
        _metadata = metadata;
        Blobs = blobs;
        Fs = new FileSystem(metadata, blobs);
    }

    public FileSystem Fs { get; }

    public LocalBlobStore Blobs { get; }

    public static async Task<FsHarness> CreateAsync()
    {
        var dir = Directory.CreateTempSubdirectory("faasten-fs-").FullName;
        var metadata = SqliteMetadataStore.Open(Path.Combine(dir, "metadata.db"));
        var harness = new FsHarness(dir, metadata, new LocalBlobStore(Path.Combine(dir, "blobs")));
        await harness.Fs.BootstrapAsync();
        foreach (var user in new[] { "alice", "bob" })
        {
            Assert.Equal(FsStatus.Ok, (await harness.Fs.AddUserAsync(Super(), user)).Status);
        }

        return harness;
    }

    public static SecurityContext Super() => new(Component.False);

    public static SecurityContext As(string privilege, string? label = null) =>
        new(Component.Parse(privilege), label is null ? null : Label.Parse(label));

    public static Label L(string text) => Label.Parse(text);

    public static Component C(string text) => Component.Parse(text);

    public async Task<string> PutBlobAsync(byte[] data)
    {
        await using var writer = Blobs.BeginWrite();
        await writer.WriteAsync(data);
        return await writer.CommitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _metadata.DisposeAsync();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

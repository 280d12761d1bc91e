using Faasten.Fs.Storage;
using Faasten.Labels;
using Faasten.Tests.Common.Fs;

namespace Faasten.Fs.Tests.Monitor;

/// <summary>A bootstrapped file system on the embedded stores (SQLite + local blobs) in a temp directory, with users alice and bob.</summary>
internal sealed class FsHarness : IAsyncDisposable
{
    private readonly EmbeddedFileSystem _embedded;

    private FsHarness(EmbeddedFileSystem embedded) => _embedded = embedded;

    public FileSystem Fs => _embedded.Fs;

    public LocalBlobStore Blobs => _embedded.Blobs;

    public static async Task<FsHarness> CreateAsync() => new(await EmbeddedFileSystem.CreateAsync("faasten-fs"));

    public static SecurityContext Super() => new(Component.False);

    public static SecurityContext As(string privilege, string? label = null) =>
        new(Component.Parse(privilege), label is null ? null : Label.Parse(label));

    public static Label L(string text) => Label.Parse(text);

    public static Component C(string text) => Component.Parse(text);

    public Task<string> PutBlobAsync(byte[] data) => _embedded.PutBlobAsync(data);

    public ValueTask DisposeAsync() => _embedded.DisposeAsync();
}

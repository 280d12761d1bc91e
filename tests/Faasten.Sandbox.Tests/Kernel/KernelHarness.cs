using Faasten.Fs;
using Faasten.Fs.Storage;
using Faasten.Labels;
using Faasten.Sandbox.Kernel;
using Faasten.Tests.Common;

namespace Faasten.Sandbox.Tests.Kernel;

/// <summary>
/// A bootstrapped file system on the embedded stores (SQLite + local blobs) in a temp
/// directory, users alice and bob, and kernels bound to fresh security contexts.
/// </summary>
internal sealed class KernelHarness : IAsyncDisposable
{
    private readonly TempDirectory _dir;
    private readonly SqliteMetadataStore _metadata;
    private readonly List<CloudCallKernel> _kernels = [];

    private KernelHarness(TempDirectory dir, SqliteMetadataStore metadata, LocalBlobStore blobs)
    {
        _dir = dir;
        _metadata = metadata;
        Blobs = blobs;
        Fs = new FileSystem(metadata, blobs);
    }

    public FileSystem Fs { get; }

    public LocalBlobStore Blobs { get; }

    public string BlobRoot => _dir.Combine("blobs");

    public RecordingInvoker Invoker { get; } = new();

    public HttpClient Http { get; } = new();

    public static async Task<KernelHarness> CreateAsync()
    {
        var dir = new TempDirectory("faasten-kernel");
        var metadata = SqliteMetadataStore.Open(dir.Combine("metadata.db"));
        var harness = new KernelHarness(dir, metadata, new LocalBlobStore(dir.Combine("blobs")));
        await harness.Fs.BootstrapAsync();
        foreach (var user in new[] { "alice", "bob" })
        {
            Assert.True((await harness.Fs.AddUserAsync(Super(), user)).IsOk);
        }

        return harness;
    }

    public static SecurityContext Super() => new(Component.False);

    public static Label L(string text) => Label.Parse(text);

    public static Component C(string text) => Component.Parse(text);

    /// <summary>A kernel for an invocation running with <paramref name="privilege"/> at <paramref name="label"/> (public by default).</summary>
    public CloudCallKernel Kernel(string privilege, string? label = null, CloudCallKernelOptions? options = null, uint depth = 0)
    {
        var kernel = new CloudCallKernel(Fs, new SecurityContext(C(privilege), label is null ? null : L(label)), Invoker, Http, options, depth);
        _kernels.Add(kernel);
        return kernel;
    }

    public async Task<string> PutBlobAsync(byte[] data)
    {
        await using var writer = Blobs.BeginWrite();
        await writer.WriteAsync(data);
        return await writer.CommitAsync();
    }

    /// <summary>Runs a setup step as the superuser and insists it worked.</summary>
    public static async Task Ok(ValueTask<FsResult> operation) => Assert.Equal(FsResult.Ok, await operation);

    public async ValueTask DisposeAsync()
    {
        foreach (var kernel in _kernels)
        {
            await kernel.DisposeAsync();
        }

        Http.Dispose();
        await _metadata.DisposeAsync();
        _dir.Dispose();
    }
}

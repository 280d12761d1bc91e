using Faasten.Fs;
using Faasten.Fs.Storage;
using Faasten.Kernel;
using Faasten.Labels;
using Faasten.Tests.Common.Fs;

namespace Faasten.Kernel.Tests;

/// <summary>
/// A bootstrapped file system on the embedded stores (SQLite + local blobs) in a temp
/// directory, users alice and bob, and kernels bound to fresh security contexts.
/// </summary>
internal sealed class KernelHarness : IAsyncDisposable
{
    private readonly EmbeddedFileSystem _embedded;
    private readonly List<CloudCallKernel> _kernels = [];

    private KernelHarness(EmbeddedFileSystem embedded) => _embedded = embedded;

    public FileSystem Fs => _embedded.Fs;

    public LocalBlobStore Blobs => _embedded.Blobs;

    public string BlobRoot => _embedded.Directory.Combine("blobs");

    public RecordingInvoker Invoker { get; } = new();

    public HttpClient Http { get; } = new();

    public static async Task<KernelHarness> CreateAsync() => new(await EmbeddedFileSystem.CreateAsync("faasten-kernel"));

    public static SecurityContext Super() => new(Component.False);

    public static Label L(string text) => Label.Parse(text);

    public static Component C(string text) => Component.Parse(text);

    /// <summary>A kernel for an invocation running with <paramref name="privilege"/> at <paramref name="label"/> (public by default).</summary>
    public CloudCallKernel Kernel(string privilege, string? label = null, CloudCallKernelOptions? options = null, int depth = 0)
    {
        var kernel = new CloudCallKernel(Fs, new SecurityContext(C(privilege), label is null ? null : L(label)), Invoker, Http, options, depth);
        _kernels.Add(kernel);
        return kernel;
    }

    public Task<string> PutBlobAsync(byte[] data) => _embedded.PutBlobAsync(data);

    /// <summary>Runs a setup step as the superuser and insists it worked.</summary>
    public static async Task Ok(ValueTask<FsResult> operation) => Assert.Equal(FsResult.Ok, await operation);

    public async ValueTask DisposeAsync()
    {
        foreach (var kernel in _kernels)
        {
            await kernel.DisposeAsync();
        }

        Http.Dispose();
        await _embedded.DisposeAsync();
    }
}

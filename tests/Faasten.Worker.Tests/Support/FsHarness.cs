using System.Text;
using Faasten.Fs;
using Faasten.Fs.Objects;
using Faasten.Fs.Storage;
using Faasten.Labels;
using Faasten.Protocol.Invocations;
using Faasten.Protocol.Labels;
using Faasten.Protocol.V1;
using Faasten.Tests.Common.Fs;
using Google.Protobuf;
using Component = Faasten.Labels.Component;
using Label = Faasten.Labels.Label;

namespace Faasten.Worker.Tests.Support;

/// <summary>
/// A bootstrapped labeled file system on the embedded stores (SQLite + local blobs) in a temp
/// directory, with users alice and bob.
/// </summary>
internal sealed class FsHarness : IAsyncDisposable
{
    private readonly EmbeddedFileSystem _embedded;

    private FsHarness(EmbeddedFileSystem embedded) => _embedded = embedded;

    public FileSystem Fs => _embedded.Fs;

    public LocalBlobStore Blobs => _embedded.Blobs;

    public string Directory => _embedded.Directory.Path;

    public static async Task<FsHarness> CreateAsync() => new(await EmbeddedFileSystem.CreateAsync("faasten-worker"));

    public static SecurityContext Super() => new(Component.False);

    public static Label L(string text) => Label.Parse(text);

    public static Component C(string text) => Component.Parse(text);

    public static async Task Ok(ValueTask<FsResult> operation) => Assert.Equal(FsResult.Ok, await operation);

    public Task<string> PutBlobAsync(byte[] data) => _embedded.PutBlobAsync(data);

    /// <summary>Creates a gate as the superuser; its image is a blob of <paramref name="image"/> bytes.</summary>
    public async Task<FunctionSpec> CreateGateAsync(string path, string privilege, string clearance, string label, byte[]? image = null, string? declassify = null, int memoryMb = 128, int timeoutMs = 30_000)
    {
        var hash = await PutBlobAsync(image ?? Encoding.UTF8.GetBytes("image of " + path));
        var function = new FunctionSpec(hash, MemoryMb: memoryMb, TimeoutMs: timeoutMs);
        await Ok(Fs.CreateGateAsync(Super(), path, C(privilege), C(clearance), function, declassify is null ? null : C(declassify), L(label)));
        return function;
    }

    public static InvocationRequest Request(string path, string invokerPrivilege, string payloadLabel = "T,T", string payload = "{}", int depth = 0) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        GatePath = path,
        InvokerPrivilege = C(invokerPrivilege),
        PayloadLabel = L(payloadLabel),
        Payload = Encoding.UTF8.GetBytes(payload),
        Sync = true,
        Depth = depth,
    };

    public ValueTask DisposeAsync() => _embedded.DisposeAsync();
}

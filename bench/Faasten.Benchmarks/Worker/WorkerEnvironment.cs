using System.Diagnostics;
using Faasten.Fs;
using Faasten.Fs.Objects;
using Faasten.Fs.Records;
using Faasten.Fs.Storage;
using Faasten.Labels;
using Faasten.Protocol.Invocations;
using Faasten.Protocol.Labels;
using Faasten.Protocol.V1;
using Faasten.Sandbox.Bubblewrap;
using Faasten.Worker.Hosting;
using Google.Protobuf;
using Component = Faasten.Labels.Component;
using Label = Faasten.Labels.Label;

namespace Faasten.Benchmarks.Worker;

/// <summary>
/// The embedded invocation core as <c>faasten serve</c> builds it: SQLite metadata and local
/// blobs in a temp directory, a worker host on real bubblewrap VMs, and a gate <c>noop</c>
/// whose SquashFS image returns its event.
/// </summary>
internal sealed class WorkerEnvironment : IAsyncDisposable
{
    private const string NoOp = "def handle(event, cloudcall):\n    return event\n";

    private readonly string _directory;
    private readonly SqliteMetadataStore _metadata;
    private readonly BubblewrapBackend _backend;
    private readonly InvocationRecords? _records;

    private WorkerEnvironment(string directory, SqliteMetadataStore metadata, BubblewrapBackend backend, WorkerHost host, InvocationRecords? records)
    {
        _directory = directory;
        _metadata = metadata;
        _backend = backend;
        _records = records;
        Host = host;
    }

    public WorkerHost Host { get; }

    /// <param name="records">Keep each invocation's record, logs and trail, as <c>faasten serve</c> does (false: none, and no output captured).</param>
    public static async Task<WorkerEnvironment> CreateAsync(WorkerOptions options, bool records = false)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The worker benchmarks run bubblewrap sandboxes: Linux only.");
        }

        // Not CreateTempSubdirectory (mode 0700): the sandbox user must traverse it to the images.
        var directory = Path.Combine(Path.GetTempPath(), $"faasten-bench-worker-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory, (UnixFileMode)0b111_101_101);
        var metadata = SqliteMetadataStore.Open(Path.Combine(directory, "metadata.db"));
        var fs = new FileSystem(metadata, new LocalBlobStore(Path.Combine(directory, "blobs")));
        await fs.BootstrapAsync();
        var super = new SecurityContext(Component.False);
        await using (var writer = fs.Blobs.BeginWrite())
        {
            await writer.WriteAsync(await BuildImageAsync(directory));
            var hash = await writer.CommitAsync();
            var created = await fs.CreateGateAsync(super, "noop", Component.True, Component.True, new FunctionSpec(hash, MemoryMb: 64), label: Label.Public);
            if (!created.IsOk)
            {
                throw new InvalidOperationException(created.ToString());
            }
        }

        var backend = new BubblewrapBackend();
        var kept = records ? new InvocationRecords(await SqliteInvocationRecordStore.OpenAsync(Path.Combine(directory, "metadata.db")), new InvocationRecordsOptions()) : null;
        var host = await WorkerHost.CreateAsync(fs, backend, options with { ImageCacheDirectory = Path.Combine(directory, "images") }, records: kept);
        return new WorkerEnvironment(directory, metadata, backend, host, kept);
    }

    public static InvocationRequest Request() => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        GatePath = "noop",
        InvokerPrivilege = Component.True,
        PayloadLabel = Label.Public,
        Payload = "{}"u8.ToArray(),
        Sync = true,
    };

    public async Task<InvocationStatus> InvokeAsync()
    {
        var reply = await Host.Invoker.InvokeAsync(Request());
        return reply.Status == InvocationStatus.Ok ? reply.Status : throw new InvalidOperationException($"noop answered {reply.Status}: {reply.BodyText}");
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        if (_records is not null)
        {
            await _records.DisposeAsync();
        }

        await _backend.DisposeAsync();
        await _metadata.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static async Task<byte[]> BuildImageAsync(string directory)
    {
        var source = Path.Combine(directory, "noop");
        Directory.CreateDirectory(source);
        await File.WriteAllTextAsync(Path.Combine(source, "workload.py"), NoOp);
        var image = Path.Combine(directory, "noop.sqfs");
        using var mksquashfs = Process.Start(new ProcessStartInfo("mksquashfs", [source, image, "-quiet", "-no-progress", "-all-root"]))!;
        await mksquashfs.WaitForExitAsync();
        return mksquashfs.ExitCode == 0 ? await File.ReadAllBytesAsync(image) : throw new InvalidOperationException("mksquashfs failed");
    }
}

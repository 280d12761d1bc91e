using BenchmarkDotNet.Attributes;
using Faasten.Fs;
using Faasten.Fs.Objects;
using Faasten.Fs.Storage;
using Faasten.Kernel;
using Faasten.Labels;
using Faasten.Protocol.Invocations;
using Faasten.Protocol.V1;
using Faasten.Sandbox.Vm;
using Faasten.Worker.Execution;
using Google.Protobuf;
using Component = Faasten.Labels.Component;
using Label = Faasten.Labels.Label;

namespace Faasten.Benchmarks.Worker;

/// <summary>
/// The worker's own steps of a warm invocation, without a VM: gate resolution on SQLite (step 1),
/// a kernel for the invocation (step 4), and the reply with its label (step 6).
/// </summary>
[MemoryDiagnoser]
public class WorkerStepBenchmarks
{
    private string _directory = "";
    private SqliteMetadataStore _metadata = null!;
    private FileSystem _fs = null!;
    private HttpClient _http = null!;
    private readonly InvocationOutcome _outcome = new(InvocationStatus.Ok, "{}"u8.ToArray(), null);

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _directory = Directory.CreateTempSubdirectory("faasten-bench-steps-").FullName;
        _metadata = SqliteMetadataStore.Open(Path.Combine(_directory, "metadata.db"));
        _fs = new FileSystem(_metadata, new LocalBlobStore(Path.Combine(_directory, "blobs")));
        await _fs.BootstrapAsync();
        string hash;
        await using (var writer = _fs.Blobs.BeginWrite())
        {
            await writer.WriteAsync("image"u8.ToArray());
            hash = await writer.CommitAsync();
        }

        var created = await _fs.CreateGateAsync(new SecurityContext(Component.False), "noop", Component.True, Component.True, new FunctionSpec(hash), label: Label.Public);
        if (!created.IsOk)
        {
            throw new InvalidOperationException(created.ToString());
        }

        _http = new HttpClient();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _http.Dispose();
        await _metadata.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark]
    public async Task<bool> ResolveGate() => (await _fs.ResolveGateAsync(new SecurityContext(Component.True), "noop")).IsOk;

    [Benchmark]
    public async Task<int> CreateAndDisposeKernel()
    {
        var kernel = new CloudCallKernel(_fs, new SecurityContext(Component.True), NoInvoker.Instance, _http);
        await kernel.DisposeAsync();
        return kernel.OpenBlobHandles;
    }

    [Benchmark]
    public InvocationReply Reply() => WorkerReplies.Completed(WorkerEnvironment.Request(), _outcome, Label.Public.Downgrade(Component.True));

    private sealed class NoInvoker : IInvoker
    {
        public static readonly NoInvoker Instance = new();

        public ValueTask<InvocationReply> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}

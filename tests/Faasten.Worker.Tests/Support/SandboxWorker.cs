using System.Text;
using Faasten.Protocol.Invocations;
using Faasten.Protocol.V1;
using Faasten.Sandbox.Vm;
using Faasten.Tests.Common;
using Faasten.Worker.Hosting;

namespace Faasten.Worker.Tests.Support;

/// <summary>
/// A worker host over a real labeled file system whose VMs are real bubblewrap sandboxes
/// running Python functions that the test writes.
/// </summary>
internal sealed class SandboxWorker : IAsyncDisposable
{
    private readonly DirectoryImages _images;
    private readonly List<TempDirectory> _functions = [];

    private SandboxWorker(FsHarness fs, DirectoryImages images, WorkerHost host)
    {
        Fs = fs;
        _images = images;
        Host = host;
    }

    public FsHarness Fs { get; }

    public WorkerHost Host { get; }

    /// <param name="spares">
    /// <see cref="WorkerOptions.SpareVms"/>: off unless asked for, whatever <paramref name="options"/>
    /// says, since most of these tests count the VMs a worker starts.
    /// </param>
    public static async Task<SandboxWorker> CreateAsync(IVmBackend backend, WorkerOptions? options = null, HttpClient? http = null, int spares = 0)
    {
        var fs = await FsHarness.CreateAsync();
        var images = new DirectoryImages();
        var host = WorkerHost.Create(fs.Fs, backend, images, (options ?? new WorkerOptions { Slots = 2 }) with { SpareVms = spares }, null, http, TimeProvider.System);
        return new SandboxWorker(fs, images, host);
    }

    /// <summary>Creates a gate (as the superuser) whose function is <paramref name="workload"/>.</summary>
    public async Task CreateGateAsync(string path, string workload, string privilege = "T", string clearance = "T", string label = "T,T", string? declassify = null, int memoryMb = 64, int timeoutMs = 30_000)
    {
        var directory = new TempDirectory("faasten-fn");
        _functions.Add(directory);
        await File.WriteAllTextAsync(directory.Combine("workload.py"), workload);
        var function = await Fs.CreateGateAsync(path, privilege, clearance, label, Encoding.UTF8.GetBytes(workload), declassify, memoryMb, timeoutMs);
        _images.Add(function.ImageHash, directory.Path);
    }

    public Task<InvocationReply> InvokeAsync(string path, string privilege = "T", string payloadLabel = "T,T", string payload = "{}") =>
        Host.Invoker.InvokeAsync(FsHarness.Request(path, privilege, payloadLabel, payload)).AsTask().WaitAsync(TimeSpan.FromMinutes(2));

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Fs.DisposeAsync();
        foreach (var directory in _functions)
        {
            directory.Dispose();
        }
    }
}

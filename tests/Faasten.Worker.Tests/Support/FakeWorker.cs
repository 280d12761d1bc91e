using Faasten.Worker.Hosting;

namespace Faasten.Worker.Tests.Support;

/// <summary>A worker host over a real labeled file system whose VMs are <see cref="FakeVm"/>s.</summary>
internal sealed class FakeWorker : IAsyncDisposable
{
    private FakeWorker(FsHarness fs, FakeVmBackend backend, WorkerHost host)
    {
        Fs = fs;
        Backend = backend;
        Host = host;
    }

    public FsHarness Fs { get; }

    public FakeVmBackend Backend { get; }

    public WorkerHost Host { get; }

    /// <param name="spares">
    /// <see cref="WorkerOptions.SpareVms"/>: off unless asked for, whatever <paramref name="options"/>
    /// says, since these tests count the VMs a worker starts (VmPoolSpareTests cover spares).
    /// </param>
    public static async Task<FakeWorker> CreateAsync(FakeBehavior behavior, WorkerOptions? options = null, int spares = 0)
    {
        var fs = await FsHarness.CreateAsync();
        var backend = new FakeVmBackend(behavior);
        var host = WorkerHost.Create(fs.Fs, backend, new StaticImages(fs.Directory), (options ?? new WorkerOptions { Slots = 2 }) with { SpareVms = spares }, null, null, TimeProvider.System);
        return new FakeWorker(fs, backend, host);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Fs.DisposeAsync();
    }
}

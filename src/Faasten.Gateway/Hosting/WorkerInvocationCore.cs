using Faasten.Fs;
using Faasten.Sandbox.Bubblewrap;
using Faasten.Worker;
using Faasten.Worker.Hosting;
using Microsoft.Extensions.Logging;

namespace Faasten.Gateway.Hosting;

/// <summary>The embedded default: the label-aware worker running functions in bubblewrap VMs.</summary>
internal sealed class WorkerInvocationCore : IInvocationCore
{
    private readonly WorkerHost _host;
    private readonly BubblewrapBackend _backend;

    private WorkerInvocationCore(WorkerHost host, BubblewrapBackend backend)
    {
        _host = host;
        _backend = backend;
    }

    public IInvocationScheduler Scheduler => _host.Scheduler;

    public int Running => _host.Running;

    public int Queued => _host.Queued;

    public static async Task<WorkerInvocationCore> CreateAsync(FileSystem fs, WorkerOptions options, BubblewrapOptions? sandbox, ILoggerFactory logs, CancellationToken ct)
    {
        var backend = new BubblewrapBackend(sandbox);
        try
        {
            return new WorkerInvocationCore(await WorkerHost.CreateAsync(fs, backend, options, logs, cancellationToken: ct).ConfigureAwait(false), backend);
        }
        catch
        {
            await backend.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public Task DrainAsync(CancellationToken cancellationToken) => _host.DrainAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        // The host first: it stops what still runs; then the backend that owned the VMs.
        await _host.DisposeAsync().ConfigureAwait(false);
        await _backend.DisposeAsync().ConfigureAwait(false);
    }
}

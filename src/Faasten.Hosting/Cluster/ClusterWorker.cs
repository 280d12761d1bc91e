using System.Net;
using Faasten.Hosting.Configuration;
using Faasten.Queue.Nats;
using Faasten.Sandbox.Bubblewrap;
using Faasten.Worker.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Faasten.Hosting.Cluster;

/// <summary>
/// <c>faasten worker</c>: runs invocations from the shared queue, with no public HTTP. The same
/// worker as the embedded server's (scheduler, label-aware worker, VM pool over bubblewrap), over
/// the shared stores: images come from the S3 blob store by hash into the local image cache; the
/// functions' own calls go back through the queue, so they may run on any worker.
/// </summary>
public sealed class ClusterWorker : IAsyncDisposable
{
    private static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(1);

    private readonly ClusterStores _stores;
    private readonly NatsInvoker _calls;
    private readonly WorkerHost _worker;
    private readonly BubblewrapBackend _backend;
    private readonly NatsWorkerService _service;
    private readonly ITimer _sweeper;
    private readonly ILoggerFactory _logs;
    private readonly ILogger _logger;
    private readonly TimeSpan _drainTimeout;
    private readonly WebApplication? _operator;

    private ClusterWorker(ClusterStores stores, NatsInvoker calls, WorkerHost worker, BubblewrapBackend backend, NatsWorkerService service, ILoggerFactory logs, FaastenSettings settings, WebApplication? operatorApp)
    {
        _operator = operatorApp;
        OperatorAddress = operatorApp is null ? null : new Uri(FaastenServer.BoundAddress(operatorApp));
        _stores = stores;
        _calls = calls;
        _worker = worker;
        _backend = backend;
        _service = service;
        _logs = logs;
        _logger = logs.CreateLogger<ClusterWorker>();
        _drainTimeout = settings.Server.Worker.DrainTimeout;
        var time = settings.Server.Time;
        _sweeper = time.CreateTimer(_ => _ = SweepAsync(time), null, SweepEvery, SweepEvery);
    }

    /// <summary>The operator endpoint (<c>/metrics</c>, <c>/healthz</c>, <c>/readyz</c>); null when operator.listen is unset.</summary>
    public Uri? OperatorAddress { get; }

    /// <summary>Invocations pulled from the queue and running now.</summary>
    public int Running => _service.Running;

    /// <exception cref="ArgumentException">The settings lack an engine, or the worker options are unusable.</exception>
    public static async Task<ClusterWorker> StartAsync(FaastenSettings settings, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var missing = ClusterGateway.Missing(settings, gateway: false);
        if (missing.Count > 0)
        {
            throw new ArgumentException("not configured: " + string.Join(", ", missing));
        }

        var options = settings.Server;
        IPEndPoint? operatorEndpoint = null;
        if (settings.OperatorListen is { } operatorListen && !ListenAddress.TryParse(operatorListen, out operatorEndpoint, out var operatorError))
        {
            throw new ArgumentException($"operator.listen: {operatorError}");
        }

        var name = $"{Environment.MachineName}/{Environment.ProcessId}";
        var logs = options.CreateLoggerFactory();
        ClusterStores? stores = null;
        NatsInvoker? calls = null;
        BubblewrapBackend? backend = null;
        WorkerHost? worker = null;
        WebApplication? operatorApp = null;
        try
        {
            stores = await ClusterStores.OpenAsync(settings, "faasten-worker-" + name, ct).ConfigureAwait(false);
            calls = await NatsInvoker.CreateAsync(stores.Queue, stores.Results, ct).ConfigureAwait(false);
            backend = new BubblewrapBackend(options.Sandbox);
            var route = calls;
            worker = await WorkerHost.CreateAsync(stores.FileSystem, backend, options.Worker, logs, time: options.Time, records: stores.Records, functionCalls: _ => route, cancellationToken: ct).ConfigureAwait(false);
            var service = new NatsWorkerService(stores.Queue, worker.Invoker, stores.Results, options.Worker.Slots, name, logs.CreateLogger<NatsWorkerService>());
            if (operatorEndpoint is not null)
            {
                // The worker's only listener: its probes and meters, never an invocation.
                operatorApp = OperatorWebHost.Build(operatorEndpoint, logs, stores.AllReadiness);
                await operatorApp.StartAsync(ct).ConfigureAwait(false);
            }

            var started = new ClusterWorker(stores, calls, worker, backend, service, logs, settings, operatorApp);
            HostingLog.WorkerStarted(started._logger, name, options.Worker.Slots);
            return started;
        }
        catch
        {
            if (operatorApp is not null)
            {
                await operatorApp.DisposeAsync().ConfigureAwait(false);
            }

            if (worker is not null)
            {
                await worker.DisposeAsync().ConfigureAwait(false);
            }

            if (backend is not null)
            {
                await backend.DisposeAsync().ConfigureAwait(false);
            }

            if (calls is not null)
            {
                await calls.DisposeAsync().ConfigureAwait(false);
            }

            if (stores is not null)
            {
                await stores.DisposeAsync().ConfigureAwait(false);
            }

            logs.Dispose();
            throw;
        }
    }

    /// <summary>Runs until <paramref name="ct"/> is cancelled, then drains: no more pulls, running invocations finish (up to worker.drainTimeout).</summary>
    public async Task RunUntilStoppedAsync(CancellationToken ct)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        using var timeout = new CancellationTokenSource(_drainTimeout);
        try
        {
            await _service.DrainAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Unacknowledged requests still running are redelivered to another worker.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _sweeper.DisposeAsync().ConfigureAwait(false);
        await _service.DisposeAsync().ConfigureAwait(false);
        await _worker.DisposeAsync().ConfigureAwait(false);
        await _backend.DisposeAsync().ConfigureAwait(false);
        await _calls.DisposeAsync().ConfigureAwait(false);
        if (_operator is not null)
        {
            await _operator.DisposeAsync().ConfigureAwait(false);
        }

        await _stores.DisposeAsync().ConfigureAwait(false);
        _logs.Dispose();
    }

    /// <summary>Drops expired results (every worker does; the DELETE is idempotent).</summary>
    private async Task SweepAsync(TimeProvider time)
    {
        try
        {
            await _stores.ResultTable.SweepAsync(time.GetUtcNow()).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A failed sweep (database briefly away) is retried on the next tick.
        catch (Exception e)
#pragma warning restore CA1031
        {
            HostingLog.ResultSweepFailed(_logger, e);
        }
    }
}

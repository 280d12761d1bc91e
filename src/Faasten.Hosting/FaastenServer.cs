using System.Net;
using Faasten.Fs;
using Faasten.Fs.Collection;
using Faasten.Fs.Records;
using Faasten.Fs.Storage;
using Faasten.Gateway;
using Faasten.Gateway.Auth;
using Faasten.Sandbox.Bubblewrap;
using Faasten.Worker.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Faasten.Hosting;

/// <summary>
/// The embedded deployment in one process (DESIGN §1): SQLite metadata and local blobs in a
/// data directory, the in-memory scheduler with the label-aware worker and its bubblewrap VMs,
/// and the gateway on Kestrel. <c>faasten serve</c> is a thin wrapper; functional tests start
/// the same stack on port 0.
/// </summary>
/// <remarks>
/// Built in dependency order, each part complete before the next takes it: logging, stores,
/// worker (scheduler and VMs), gateway over the worker's invoker. Stopped in reverse.
/// </remarks>
public sealed class FaastenServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly EmbeddedStores _stores;
    private readonly WorkerHost _worker;
    private readonly BubblewrapBackend? _backend;
    private readonly ILoggerFactory _logs;
    private readonly TimeSpan _drainTimeout;
    private readonly ILogger _logger;
    private readonly CollectionRunner _collection;
    private readonly IDisposable? _certificate;
    private readonly InvocationRecords _records;
    private readonly WebApplication? _operator;
    private readonly HostingMetrics _metrics;
    private int _stopped;

    private FaastenServer(WebApplication app, EmbeddedStores stores, WorkerHost worker, BubblewrapBackend? backend, ILoggerFactory logs, TimeSpan drainTimeout, Uri address, string dataDirectory, CollectorOptions collector, TimeProvider time, IDisposable? certificate, Observability observability)
    {
        _certificate = certificate;
        _records = observability.Records;
        _operator = observability.Operator;
        _metrics = observability.Metrics;
        OperatorAddress = observability.OperatorAddress;
        _app = app;
        _stores = stores;
        _worker = worker;
        _backend = backend;
        _logs = logs;
        _drainTimeout = drainTimeout;
        _logger = logs.CreateLogger<FaastenServer>();
        Address = address;
        DataDirectory = dataDirectory;
        _collection = new CollectionRunner(new GarbageCollector(stores.FileSystem, collector), collector, time,
            report => HostingLog.CollectionCompleted(_logger, report), e => HostingLog.CollectionFailed(_logger, e));
        _collection.Start();
    }

    /// <summary>The bound address, e.g. http://127.0.0.1:41234 when started on port 0.</summary>
    public Uri Address { get; }

    public string DataDirectory { get; }

    /// <summary>The operator endpoint (<c>/metrics</c>), e.g. http://127.0.0.1:41235; null when operator.listen is unset.</summary>
    public Uri? OperatorAddress { get; }

    /// <summary>Invocation records, logs and trails.</summary>
    public InvocationRecords Records => _records;

    public IServiceProvider Services => _app.Services;

    public FileSystem FileSystem => _stores.FileSystem;

    public IMetadataStore Metadata => _stores.Metadata;

    /// <summary>The worker: its scheduler, VM pool and counters.</summary>
    public WorkerHost Worker => _worker;

    /// <summary>Opens the stores, bootstraps the file system, starts the worker, and starts listening.</summary>
    /// <exception cref="ArgumentException">The options are not usable; the message lists every problem.</exception>
    public static async Task<FaastenServer> StartAsync(FaastenServerOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!ListenAddress.TryParse(options.Listen, out var address, out var listenError))
        {
            throw new ArgumentException(listenError);
        }

        var data = Hosting.DataDirectory.Create(options.DataDirectory);
        var certificate = options.Tls?.Load();
        var logs = options.CreateLoggerFactory();
        EmbeddedStores? stores = null;
        BubblewrapBackend? backend = null;
        WorkerHost? worker = null;
        WebApplication? app = null;
        InvocationRecords? records = null;
        WebApplication? operatorApp = null;
        HostingMetrics? metrics = null;
        IPEndPoint? operatorEndpoint = null;
        if (options.OperatorListen is { } operatorListen && !ListenAddress.TryParse(operatorListen, out operatorEndpoint, out var operatorError))
        {
            throw new ArgumentException($"operator.listen: {operatorError}");
        }

        try
        {
            stores = await EmbeddedStores.OpenAsync(data, ct).ConfigureAwait(false);
            var hostLogger = logs.CreateLogger<FaastenServer>();
            // Records live in the metadata store's file, as a table of their own.
            records = new InvocationRecords(await SqliteInvocationRecordStore.OpenAsync(data.MetadataFile, ct).ConfigureAwait(false), options.Records, options.Time, e => HostingLog.RecordsFailed(hostLogger, e));
            // The image cache stays where WorkerOptions puts it (not in the data directory): the
            // sandbox user must be able to traverse to it, which a data directory under a private
            // home (0700) would not allow. Images there are hash-verified and shared safely.
            if (options.Runner is { } runner)
            {
                worker = WorkerHost.ForRunner(runner(stores.FileSystem), options.Worker, logs, options.Time);
            }
            else
            {
                backend = new BubblewrapBackend(options.Sandbox);
                worker = await WorkerHost.CreateAsync(stores.FileSystem, backend, options.Worker, logs, time: options.Time, records: records, cancellationToken: ct).ConfigureAwait(false);
                // The gateway and the functions write gates through this file system: each new
                // or updated gate has its template built before the write returns (bounded), so
                // the first invocation after `fstn register` already forks.
                stores.FileSystem.GateFunctionWritten = worker.PrepareAsync;
            }

            metrics = new HostingMetrics(backend);
            var backends = new GatewayBackends(stores.Metadata, stores.FileSystem, options.SigningKeyFile is { } keyFile ? TokenSigningKey.LoadOrCreateFile(keyFile) : TokenSigningKey.LoadOrCreate(data.Root), worker.Invoker, worker.Results)
            {
                Records = records,
            };
            app = GatewayWebHost.Build(backends, new GatewayEndpoint(address, certificate, options.Worker.DrainTimeout), options.Gateway, logs, options.Time, data.Root);
            await app.StartAsync(ct).ConfigureAwait(false);

            var bound = BoundAddress(app);
            Uri? operatorAddress = null;
            if (operatorEndpoint is not null)
            {
                operatorApp = OperatorWebHost.Build(operatorEndpoint, logs);
                await operatorApp.StartAsync(ct).ConfigureAwait(false);
                operatorAddress = new Uri(BoundAddress(operatorApp));
            }

            var server = new FaastenServer(app, stores, worker, backend, logs, options.Worker.DrainTimeout, new Uri(bound), data.Root, options.Collector, options.Time, certificate, new Observability(records, operatorApp, metrics, operatorAddress));
            HostingLog.ServerListening(server._logger, bound, data.Root);
            if (operatorAddress is not null)
            {
                HostingLog.OperatorListening(server._logger, operatorAddress.ToString());
            }

            return server;
        }
        catch
        {
            if (operatorApp is not null)
            {
                await operatorApp.DisposeAsync().ConfigureAwait(false);
            }

            if (app is not null)
            {
                await app.DisposeAsync().ConfigureAwait(false);
            }

            if (worker is not null)
            {
                await worker.DisposeAsync().ConfigureAwait(false);
            }

            if (records is not null)
            {
                await records.DisposeAsync().ConfigureAwait(false);
            }

            if (backend is not null)
            {
                await backend.DisposeAsync().ConfigureAwait(false);
            }

            if (stores is not null)
            {
                await stores.DisposeAsync().ConfigureAwait(false);
            }

            metrics?.Dispose();
            certificate?.Dispose();
            logs.Dispose();
            throw;
        }
    }

    internal static string BoundAddress(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel reported no bound address");

    /// <summary>The parts that watch the server rather than serve: records, the operator endpoint, the host's meters.</summary>
    private sealed record Observability(InvocationRecords Records, WebApplication? Operator, HostingMetrics Metrics, Uri? OperatorAddress);

    /// <summary>Runs until <paramref name="ct"/> is cancelled or the host is asked to stop, then stops gracefully.</summary>
    public async Task RunUntilStoppedAsync(CancellationToken ct)
    {
        var lifetime = _app.Services.GetRequiredService<IHostApplicationLifetime>();
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (ct.Register(() => stopping.TrySetResult()).ConfigureAwait(false))
        await using (lifetime.ApplicationStopping.Register(() => stopping.TrySetResult()).ConfigureAwait(false))
        {
            await stopping.Task.ConfigureAwait(false);
        }

        await StopAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Graceful shutdown: stop accepting connections and let in-flight requests finish, then
    /// drain queued and running async invocations, each bounded by the drain timeout.
    /// </summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(_drainTimeout);
        await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        HostingLog.ServerDraining(_logger, _worker.Running, _worker.Queued);
        try
        {
            await _worker.DrainAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Whatever still runs is cut off by the worker's dispose.
        }

        HostingLog.ServerStopped(_logger);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _collection.DisposeAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        // The worker first: it stops what still runs; then the records it wrote, then the backend that owned the VMs.
        await _worker.DisposeAsync().ConfigureAwait(false);
        await _records.DisposeAsync().ConfigureAwait(false);
        if (_operator is not null)
        {
            await _operator.DisposeAsync().ConfigureAwait(false);
        }

        _metrics.Dispose();
        if (_backend is not null)
        {
            await _backend.DisposeAsync().ConfigureAwait(false);
        }

        await _stores.DisposeAsync().ConfigureAwait(false);
        _certificate?.Dispose();
        _logs.Dispose();
    }
}

using Faasten.Fs;
using Faasten.Fs.Collection;
using Faasten.Fs.Storage;
using Faasten.Gateway.Auth;
using Faasten.Gateway.Hosting;
using Faasten.Gateway.Logging;
using Faasten.Worker;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Faasten.Gateway;

/// <summary>
/// The embedded deployment in one process (DESIGN §1): SQLite metadata and local blobs in a
/// data directory, the in-memory scheduler with the label-aware worker and its bubblewrap VMs,
/// and the gateway on Kestrel.
/// <c>faasten serve</c> is a thin wrapper; functional tests start the same stack on port 0.
/// </summary>
public sealed class FaastenServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly EmbeddedStores _stores;
    private readonly IInvocationCore _core;
    private readonly TimeSpan _drainTimeout;
    private readonly ILogger _logger;
    private readonly CollectionRunner _collection;
    private int _stopped;

    private FaastenServer(WebApplication app, EmbeddedStores stores, IInvocationCore core, TimeSpan drainTimeout, Uri address, string dataDirectory, CollectorOptions collector)
    {
        _app = app;
        _stores = stores;
        _core = core;
        _drainTimeout = drainTimeout;
        _logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<FaastenServer>();
        Address = address;
        DataDirectory = dataDirectory;
        var time = app.Services.GetRequiredService<TimeProvider>();
        _collection = new CollectionRunner(new GarbageCollector(stores.FileSystem, collector), collector, time,
            report => GatewayLog.CollectionCompleted(_logger, report), e => GatewayLog.CollectionFailed(_logger, e));
        _collection.Start();
    }

    /// <summary>The bound address, e.g. http://127.0.0.1:41234 when started on port 0.</summary>
    public Uri Address { get; }

    public string DataDirectory { get; }

    public IServiceProvider Services => _app.Services;

    internal FileSystem FileSystem => _stores.FileSystem;

    internal IMetadataStore Metadata => _stores.Metadata;

    internal IInvocationScheduler Scheduler => _core.Scheduler;

    /// <summary>Opens the stores, bootstraps the file system, and starts listening.</summary>
    public static async Task<FaastenServer> StartAsync(FaastenServerOptions options, CancellationToken ct = default)
    {
        if (!ListenAddress.TryParse(options.Listen, out var endpoint, out var listenError))
        {
            throw new ArgumentException(listenError);
        }

        var data = Hosting.DataDirectory.Create(options.DataDirectory);
        // The image cache stays where WorkerOptions puts it (under the system temp directory): the
        // sandbox user must be able to traverse to it, which a data directory under a private
        // home (0700) would not allow. Images there are hash-verified and shared safely.
        var worker = options.Worker;
        var stores = await EmbeddedStores.OpenAsync(data, ct).ConfigureAwait(false);
        IInvocationCore? core = null;
        WebApplication? app = null;
        try
        {
            var key = TokenSigningKey.LoadOrCreate(data.Root);
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = data.Root });
            // Per-request framework logs cost throughput; start/stop are reported by our own events,
            // and a failed bind surfaces as the exception StartAsync throws.
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
            builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
            builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.Critical);
            options.ConfigureLogging?.Invoke(builder.Logging);
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.AddServerHeader = false;
                // The backstop for buffered routes; each route enforces its own smaller limit, and blob upload lifts it.
                kestrel.Limits.MaxRequestBodySize = options.Gateway.LargestBody;
                kestrel.Listen(endpoint);
            });
            builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = worker.DrainTimeout);
            builder.Services.AddSingleton(options.Time);
            builder.Services.AddSingleton<IMetadataStore>(stores.Metadata);
            builder.Services.AddSingleton(stores.FileSystem);
            builder.Services.AddSingleton(key);
            var scheduler = new DeferredScheduler();
            builder.Services.AddSingleton<IInvocationScheduler>(scheduler);
            builder.Services.AddFaastenGateway(options.Gateway);

            app = builder.Build();
            var logs = app.Services.GetRequiredService<ILoggerFactory>();
            core = options.Runner is { } runner
                ? new RunnerInvocationCore(runner(stores.FileSystem), worker.Scheduler, options.Time)
                : await WorkerInvocationCore.CreateAsync(stores.FileSystem, worker, options.Sandbox, logs, ct).ConfigureAwait(false);
            scheduler.Attach(core.Scheduler);
            app.UseFaastenGateway();
            await app.StartAsync(ct).ConfigureAwait(false);

            var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                ?? throw new InvalidOperationException("Kestrel reported no bound address");
            var server = new FaastenServer(app, stores, core, worker.DrainTimeout, new Uri(bound), data.Root, options.Collector);
            GatewayLog.ServerListening(server._logger, bound, data.Root);
            return server;
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync().ConfigureAwait(false);
            }

            if (core is not null)
            {
                await core.DisposeAsync().ConfigureAwait(false);
            }

            await stores.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

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
        GatewayLog.ServerDraining(_logger, _core.Running, _core.Queued);
        try
        {
            await _core.DrainAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Whatever still runs is cut off by the scheduler's dispose.
        }

        GatewayLog.ServerStopped(_logger);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _collection.DisposeAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        await _core.DisposeAsync().ConfigureAwait(false);
        await _stores.DisposeAsync().ConfigureAwait(false);
    }
}

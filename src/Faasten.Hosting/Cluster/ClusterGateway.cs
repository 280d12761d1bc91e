using Faasten.Fs.Collection;
using Faasten.Gateway;
using Faasten.Gateway.Auth;
using Faasten.Hosting.Configuration;
using Faasten.Queue.Nats;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Faasten.Hosting.Cluster;

/// <summary>
/// <c>faasten gateway</c>: the HTTP front-end of a cluster, with no sandbox in the process. The
/// same gateway as the embedded server's, over the shared stores, the shared signing key file,
/// the shared result table, and a <see cref="NatsInvoker"/> in place of the in-process scheduler.
/// </summary>
public sealed class ClusterGateway : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ClusterStores _stores;
    private readonly NatsInvoker _invoker;
    private readonly ILoggerFactory _logs;
    private readonly IDisposable? _certificate;
    private readonly CollectionRunner _collection;
    private int _stopped;

    private ClusterGateway(WebApplication app, ClusterStores stores, NatsInvoker invoker, ILoggerFactory logs, IDisposable? certificate, Uri address, FaastenServerOptions options)
    {
        _app = app;
        _stores = stores;
        _invoker = invoker;
        _logs = logs;
        _certificate = certificate;
        Address = address;
        // Every gateway collects on gc.interval, as faasten serve does; rounds of two gateways may
        // overlap, which is safe: the barrier is in the shared metadata store, an object is
        // deleted only at the version listed, and a blob only if not committed within the grace.
        var logger = logs.CreateLogger<ClusterGateway>();
        _collection = new CollectionRunner(new GarbageCollector(stores.FileSystem, options.Collector), options.Collector, options.Time,
            report => HostingLog.CollectionCompleted(logger, report), e => HostingLog.CollectionFailed(logger, e));
        _collection.Start();
    }

    public Uri Address { get; }

    /// <exception cref="ArgumentException">The settings lack an engine or the signing key file.</exception>
    public static async Task<ClusterGateway> StartAsync(FaastenSettings settings, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var missing = Missing(settings, gateway: true);
        if (missing.Count > 0)
        {
            throw new ArgumentException("not configured: " + string.Join(", ", missing));
        }

        var options = settings.Server;
        if (!ListenAddress.TryParse(options.Listen, out var address, out var listenError))
        {
            throw new ArgumentException(listenError);
        }

        var logs = options.CreateLoggerFactory();
        var certificate = options.Tls?.Load();
        ClusterStores? stores = null;
        NatsInvoker? invoker = null;
        WebApplication? app = null;
        try
        {
            stores = await ClusterStores.OpenAsync(settings, "faasten-gateway-" + Environment.MachineName, ct).ConfigureAwait(false);
            invoker = await NatsInvoker.CreateAsync(stores.Queue, stores.Results, ct).ConfigureAwait(false);
            var backends = new GatewayBackends(stores.Metadata, stores.FileSystem, TokenSigningKey.LoadOrCreateFile(options.SigningKeyFile!), invoker, stores.Results)
            {
                Records = stores.Records,
                Readiness = stores.Readiness,
            };
            app = GatewayWebHost.Build(backends, new GatewayEndpoint(address, certificate, options.Worker.DrainTimeout), options.Gateway, logs, options.Time, AppContext.BaseDirectory);
            await app.StartAsync(ct).ConfigureAwait(false);
            var bound = FaastenServer.BoundAddress(app);
            var gateway = new ClusterGateway(app, stores, invoker, logs, certificate, new Uri(bound), options);
            HostingLog.GatewayListening(logs.CreateLogger<ClusterGateway>(), bound);
            return gateway;
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync().ConfigureAwait(false);
            }

            if (invoker is not null)
            {
                await invoker.DisposeAsync().ConfigureAwait(false);
            }

            if (stores is not null)
            {
                await stores.DisposeAsync().ConfigureAwait(false);
            }

            certificate?.Dispose();
            logs.Dispose();
            throw;
        }
    }

    /// <summary>What a cluster process lacks, as the keys to set.</summary>
    public static IReadOnlyList<string> Missing(FaastenSettings settings, bool gateway)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var missing = new List<string>(settings.Cluster.Missing());
        if (gateway && string.IsNullOrEmpty(settings.Server.SigningKeyFile))
        {
            missing.Add("tokens.signingKeyFile (the key every gateway signs with)");
        }

        return missing;
    }

    /// <summary>Runs until <paramref name="ct"/> is cancelled or the host is asked to stop.</summary>
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

    /// <summary>Stops taking requests and lets those in flight finish (queued async invocations stay queued for the workers).</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            await _app.StopAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _collection.DisposeAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        await _invoker.DisposeAsync().ConfigureAwait(false);
        await _stores.DisposeAsync().ConfigureAwait(false);
        _certificate?.Dispose();
        _logs.Dispose();
    }
}

using System.Diagnostics.Metrics;
using Faasten.Fs;
using Faasten.Fs.Objects;
using Faasten.Fs.Records;
using Faasten.Protocol.Invocations;
using Faasten.Sandbox.Images;
using Faasten.Sandbox.Vm;
using Faasten.Worker.Execution;
using Faasten.Worker.Metrics;
using Faasten.Worker.Scheduling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Faasten.Worker.Hosting;

/// <summary>
/// The embedded invocation core in one object: the in-process scheduler, the label-aware worker
/// that runs its requests on VMs from one backend, and the VM pool under the memory budget.
/// <c>faasten serve</c> makes one, hands <see cref="Invoker"/> to the gateway and disposes it
/// on shutdown (which drains).
/// </summary>
/// <example>
/// <code>
/// await using var worker = await WorkerHost.CreateAsync(fileSystem, new BubblewrapBackend(), new WorkerOptions(), loggerFactory);
/// var reply = await worker.Invoker.InvokeAsync(request);
/// </code>
/// </example>
public sealed class WorkerHost : IAsyncDisposable
{
    private readonly InProcessScheduler _scheduler;
    private readonly VmPool? _pool;
    private readonly FunctionPreparer? _preparer;
    private readonly HttpClient? _http;
    private readonly bool _ownsHttp;
    private readonly TimeSpan _drainTimeout;
    private readonly WorkerMetrics _metrics;
    private int _disposed;

    private WorkerHost(InProcessScheduler scheduler, VmPool? pool, FunctionPreparer? preparer, HttpClient? http, bool ownsHttp, TimeSpan drainTimeout, WorkerMetrics metrics)
    {
        _scheduler = scheduler;
        _pool = pool;
        _preparer = preparer;
        _http = http;
        _ownsHttp = ownsHttp;
        _drainTimeout = drainTimeout;
        _metrics = metrics;
        metrics.Observe("faasten.vms", "{vm}", "Live VMs, by state", () =>
        [
            new Measurement<long>(IdleVms, new KeyValuePair<string, object?>("state", "idle")),
            new Measurement<long>(Math.Max(0, LiveVms - IdleVms), new KeyValuePair<string, object?>("state", "busy")),
        ]);
        metrics.Observe("faasten.queue.depth", "{invocation}", "Invocations waiting for a slot", () => [new Measurement<long>(Queued)]);
        metrics.Observe("faasten.invocations.running", "{invocation}", "Invocations holding a slot", () => [new Measurement<long>(Running)]);
    }

    /// <summary>The worker's meters; the host adds its own observations (e.g. templates) to them.</summary>
    public WorkerMetrics Metrics => _metrics;

    /// <summary>Where invocation requests go: the gateway, the event server and functions all use it.</summary>
    public IInvoker Invoker => _scheduler;

    /// <summary>The replies of async invocations.</summary>
    public IInvocationResults Results => _scheduler.Results;

    /// <summary>Invocations running now (nested sync calls included).</summary>
    public int Running => _scheduler.Running;

    /// <summary>Requests waiting for a slot.</summary>
    public int Queued => _scheduler.Queued;

    /// <summary>Live VMs, idle ones included.</summary>
    public int LiveVms => _pool?.LiveVms ?? 0;

    public int IdleVms => _pool?.IdleVms ?? 0;

    /// <summary>Idle VMs that have run nothing, started ahead for a label (<see cref="WorkerOptions.SpareVms"/>).</summary>
    public int IdleSpares => _pool?.IdleSpares ?? 0;

    /// <summary>Memory limits of the live VMs, summed (compare <see cref="WorkerOptions.MemoryBudgetMb"/>).</summary>
    public int LiveMemoryMb => _pool?.LiveMemoryMb ?? 0;

    /// <summary>
    /// Builds a worker over <paramref name="fileSystem"/> that runs functions on
    /// <paramref name="backend"/>, unpacking image blobs into <see cref="WorkerOptions.ImageCacheDirectory"/>.
    /// The backend stays the caller's to dispose, after the host.
    /// </summary>
    /// <param name="http">Sends services' requests; null makes one without cookies or redirects.</param>
    /// <param name="time">The clock of timeouts, idle-VM expiry and result retention; null is the system clock.</param>
    /// <param name="records">Where each invocation's record, logs and trail go; null keeps none (and captures no output).</param>
    /// <param name="functionCalls">
    /// Where the functions' own invoke calls go, given this host's scheduler; null keeps them on
    /// it. A cluster worker sends them through the shared queue, so they may run on any worker.
    /// </param>
    /// <exception cref="ArgumentException">The options are not usable; the message lists every problem.</exception>
    public static ValueTask<WorkerHost> CreateAsync(
        FileSystem fileSystem,
        IVmBackend backend,
        WorkerOptions options,
        ILoggerFactory? loggerFactory = null,
        HttpClient? http = null,
        TimeProvider? time = null,
        InvocationRecords? records = null,
        Func<IInvoker, IInvoker>? functionCalls = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        ArgumentNullException.ThrowIfNull(options);
        cancellationToken.ThrowIfCancellationRequested();
        Validate(options);
        var images = new CachedFunctionImages(fileSystem.Blobs, new FunctionImageCache(options.ImageCacheDirectory, options.ImageCache));
        // VMs hold their images, so the bounded cache never evicts one a VM mounts.
        var leasing = new ImageLeasingBackend(backend, images);
        return ValueTask.FromResult(Create(fileSystem, leasing, images, options, loggerFactory, http, time ?? TimeProvider.System, records, functionCalls));
    }

    /// <summary>
    /// The same scheduler (slots, queue, shares, retention and drain from
    /// <paramref name="options"/>) over a caller-supplied runner instead of the label-aware
    /// worker and its VMs: for tests of the front-ends and for benchmarks of the path to them.
    /// </summary>
    public static WorkerHost ForRunner(IInvoker runner, WorkerOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(runner);
        Validate(options);
        var scheduler = new InProcessScheduler(runner, options.Scheduler, time ?? TimeProvider.System, (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<InProcessScheduler>());
        return new WorkerHost(scheduler, pool: null, preparer: null, http: null, ownsHttp: false, options.DrainTimeout, new WorkerMetrics());
    }

    internal static WorkerHost Create(
        FileSystem fileSystem,
        IVmBackend backend,
        IFunctionImages images,
        WorkerOptions options,
        ILoggerFactory? loggerFactory,
        HttpClient? http,
        TimeProvider time,
        InvocationRecords? records = null,
        Func<IInvoker, IInvoker>? functionCalls = null)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        ArgumentNullException.ThrowIfNull(backend);
        Validate(options);
        loggerFactory ??= NullLoggerFactory.Instance;
        var ownsHttp = http is null;
        http ??= NewServiceClient();
        var pool = new VmPool(backend, options.MemoryBudgetMb, loggerFactory.CreateLogger<VmPool>(), time, options.IdleVmTimeout, options.SpareVms);
        var workerLogger = loggerFactory.CreateLogger<FunctionWorker>();
        var metrics = new WorkerMetrics();
        var observer = new InvocationObserver(records, metrics, options.Name, time, workerLogger);
        var scheduler = new InProcessScheduler(
            calls => new FunctionWorker(fileSystem, pool, images, functionCalls?.Invoke(calls) ?? calls, http, options.Kernel, observer, metrics.CloudCalls, workerLogger, time),
            options.Scheduler,
            time,
            loggerFactory.CreateLogger<InProcessScheduler>());
        var preparer = new FunctionPreparer(backend, images, workerLogger);
        return new WorkerHost(scheduler, pool, preparer, http, ownsHttp, options.DrainTimeout, metrics);
    }

    /// <summary>How long <see cref="PrepareAsync"/> waits for a preparation before it returns anyway.</summary>
    public static readonly TimeSpan PrepareWait = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Prepares the VMs of a function a gate was just given (unpacks its image, has the backend
    /// build its template), so its first invocation starts fast. Returns when that is done, or
    /// after <see cref="PrepareWait"/> (the preparation goes on), or at once when too many wait.
    /// The host wires it to <see cref="FileSystem.GateFunctionWritten"/>.
    /// </summary>
    public async ValueTask PrepareAsync(FunctionSpec function, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(function);
        if (_preparer is null)
        {
            return;
        }

        try
        {
            await _preparer.Prepare(function).WaitAsync(PrepareWait, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Destroys the idle VMs, e.g. to hand memory back; the next requests start cold.</summary>
    public ValueTask EvictIdleVmsAsync() => _pool?.EvictIdleAsync() ?? ValueTask.CompletedTask;

    /// <summary>Stops taking requests and waits for queued and running ones.</summary>
    public Task DrainAsync(CancellationToken cancellationToken = default) => _scheduler.DrainAsync(cancellationToken);

    /// <summary>
    /// Drains for up to <see cref="WorkerOptions.DrainTimeout"/>, then stops what still runs
    /// (their VMs are destroyed) and destroys the idle VMs.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        using (var timeout = new CancellationTokenSource(_drainTimeout))
        {
            try
            {
                await _scheduler.DrainAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
            }
        }

        await _scheduler.DisposeAsync().ConfigureAwait(false);
        if (_preparer is not null)
        {
            await _preparer.DisposeAsync().ConfigureAwait(false);
        }

        if (_pool is not null)
        {
            await _pool.DisposeAsync().ConfigureAwait(false);
        }

        if (_ownsHttp)
        {
            _http?.Dispose();
        }

        _metrics.Dispose();
    }

    private static void Validate(WorkerOptions options)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid worker options: " + string.Join("; ", errors), nameof(options));
        }
    }

    // Shared by every invocation, so it must not carry state between them: no cookie jar (a
    // cookie set for a secret invocation would reach a public one), and no redirects (a
    // service is a capability for one URL template, not for wherever its server points).
    private static HttpClient NewServiceClient() => new(new SocketsHttpHandler
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        UseProxy = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    });
}

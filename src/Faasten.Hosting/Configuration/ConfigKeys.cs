using Faasten.Gateway;
using Faasten.Kernel;
using Faasten.Sandbox.Bubblewrap;
using Faasten.Sandbox.Images;
using Faasten.Worker.Hosting;
using Microsoft.Extensions.Logging;
using static Faasten.Hosting.Configuration.ConfigValue;

namespace Faasten.Hosting.Configuration;

/// <summary>
/// Every configuration key (DESIGN §8; docs/configuration.md lists them with their defaults).
/// A key not listed here is an error, so a misspelt key never falls back to a default unnoticed.
/// </summary>
internal static class ConfigKeys
{
    public static IReadOnlyList<ConfigKey> All { get; } =
    [
        new("data", "Data directory of the embedded stores and the signing key; created if missing.",
            (s, v) => s with { Server = s.Server with { DataDirectory = v } },
            s => Path.GetFullPath(string.IsNullOrEmpty(s.Server.DataDirectory) ? Hosting.DataDirectory.Default : s.Server.DataDirectory)),
        new("listen", "HOST:PORT of the public HTTP(S) endpoint; port 0 picks a free port.",
            (s, v) => s with { Server = s.Server with { Listen = v } }, s => s.Server.Listen, "Listen"),
        new("tls.certificate", "PEM certificate (chain): with tls.key, the gateway serves HTTPS.",
            (s, v) => s with { Server = s.Server with { Tls = (s.Server.Tls ?? new()) with { Certificate = v } } }, s => s.Server.Tls?.Certificate ?? "", "tls.certificate"),
        new("tls.key", "PEM private key of tls.certificate.",
            (s, v) => s with { Server = s.Server with { Tls = (s.Server.Tls ?? new()) with { Key = v } } }, s => s.Server.Tls?.Key ?? "", "tls.key"),

        new("metadata.postgres", "Npgsql connection string of the shared metadata store (cluster mode); default: SQLite in data.",
            (s, v) => s with { Cluster = s.Cluster with { Postgres = v } }, s => s.Cluster.Postgres ?? "", Secret: true),
        new("blobs.s3.endpoint", "S3-protocol endpoint of the shared blob store (cluster mode); default: data/blobs.",
            (s, v) => s with { Cluster = s.Cluster with { S3 = s.Cluster.S3 with { Endpoint = v } } }, s => s.Cluster.S3.Endpoint ?? ""),
        new("blobs.s3.bucket", "Bucket of the blob store.",
            (s, v) => s with { Cluster = s.Cluster with { S3 = s.Cluster.S3 with { Bucket = v } } }, s => s.Cluster.S3.Bucket ?? ""),
        new("blobs.s3.region", "Region of the blob store.",
            (s, v) => s with { Cluster = s.Cluster with { S3 = s.Cluster.S3 with { Region = v } } }, s => s.Cluster.S3.Region),
        new("blobs.s3.pathStyle", "Path-style addressing (true for MinIO and most self-hosted servers).",
            (s, v) => s with { Cluster = s.Cluster with { S3 = s.Cluster.S3 with { PathStyle = Bool(v) } } }, s => Show(s.Cluster.S3.PathStyle)),
        new("queue.nats", "NATS URL of the shared invocation queue (cluster mode); default: in process.",
            (s, v) => s with { Cluster = s.Cluster with { Nats = v } }, s => s.Cluster.Nats ?? "", Secret: true),
        new("queue.ackWait", "How long a queued request may go unacknowledged before another worker gets it (a live worker extends it while the invocation runs).",
            (s, v) => s with { Cluster = s.Cluster with { AckWait = Duration(v) } }, s => Show(s.Cluster.AckWait)),
        new("queue.replyTimeout", "Longest a cluster gateway waits for a sync reply before answering timeout (504).",
            (s, v) => s with { Cluster = s.Cluster with { ReplyTimeout = Duration(v) } }, s => Show(s.Cluster.ReplyTimeout)),

        new("tokens.signingKeyFile", "Token signing key file, shared by all gateways; default: data/token-signing.key.",
            (s, v) => s with { Server = s.Server with { SigningKeyFile = v } }, s => s.Server.SigningKeyFile ?? ""),
        Gateway("tokens.lifetime", "Lifetime of a login token and the default of a delegated one.",
            (g, v) => g with { TokenLifetime = Duration(v) }, g => Show(g.TokenLifetime), "TokenLifetime"),
        Gateway("tokens.maxLifetime", "The longest lifetime any token may be issued with.",
            (g, v) => g with { MaxTokenLifetime = Duration(v) }, g => Show(g.MaxTokenLifetime), "MaxTokenLifetime"),

        Worker("worker.slots", "Invocations that run at once.", (w, v) => w with { Slots = Int(v) }, w => Show(w.Slots), "Slots"),
        Worker("worker.memoryBudgetMb", "Memory limits of all live VMs together, idle ones included.",
            (w, v) => w with { MemoryBudgetMb = Int(v) }, w => Show(w.MemoryBudgetMb), "MemoryBudgetMb"),
        Worker("worker.queueCapacity", "Invocations that may wait for a slot; more are answered queue_full (429).",
            (w, v) => w with { QueueCapacity = Int(v) }, w => Show(w.QueueCapacity), "QueueCapacity"),
        Worker("worker.maxQueuedPerInvoker", "Each invoker's share of the queue.",
            (w, v) => w with { MaxQueuedPerInvoker = Int(v) }, w => Show(w.MaxQueuedPerInvoker), "MaxQueuedPerInvoker"),
        Worker("worker.maxRunningPerInvoker", "Slots one invoker may hold at once; 0: no limit below worker.slots.",
            (w, v) => w with { MaxRunningPerInvoker = Int(v) }, w => Show(w.MaxRunningPerInvoker), "MaxRunningPerInvoker"),
        Worker("worker.imageCache", "Where function images are unpacked; must be reachable by the sandbox user and writable by no other user.",
            (w, v) => w with { ImageCacheDirectory = v }, w => w.ImageCacheDirectory, "ImageCacheDirectory"),
        Worker("worker.name", "This worker's name in invocation records; default: the machine name.",
            (w, v) => w with { Name = v }, w => w.Name, "Name"),
        Worker("worker.idleVmTimeout", "An idle VM is destroyed after this long unused.",
            (w, v) => w with { IdleVmTimeout = Duration(v) }, w => Show(w.IdleVmTimeout), "IdleVmTimeout"),
        Worker("worker.spareVms", "Spare VMs kept started per gate and start label that needed a new VM; 0: none.",
            (w, v) => w with { SpareVms = Int(v) }, w => Show(w.SpareVms), "SpareVms"),
        Worker("worker.drainTimeout", "On shutdown, how long queued and running invocations may finish.",
            (w, v) => w with { DrainTimeout = Duration(v) }, w => Show(w.DrainTimeout), "DrainTimeout"),
        Worker("results.retention", "How long an async invocation's result can be fetched.",
            (w, v) => w with { ResultRetention = Duration(v) }, w => Show(w.ResultRetention), "ResultRetention"),

        Images("images.maxUnpackedBytes", "Largest unpacked function image.",
            (i, v) => i with { MaxUnpackedBytes = Long(v) }, i => Show(i.MaxUnpackedBytes), "MaxUnpackedBytes"),
        Images("images.maxEntries", "Most files and directories in one function image.",
            (i, v) => i with { MaxEntries = Int(v) }, i => Show(i.MaxEntries), "MaxEntries"),
        Images("images.maxCacheBytes", "Disk the unpacked image cache may take; idle images are evicted least recently used first.",
            (i, v) => i with { MaxCacheBytes = Long(v) }, i => Show(i.MaxCacheBytes), "MaxCacheBytes"),

        Kernel("kernel.maxOpenBlobs", "Blob handles one invocation may hold open.",
            (k, v) => k with { MaxOpenBlobs = Int(v) }, k => Show(k.MaxOpenBlobs), "MaxOpenBlobs"),
        Kernel("kernel.maxCreatedBlobs", "Blobs one invocation may create.",
            (k, v) => k with { MaxCreatedBlobs = Int(v) }, k => Show(k.MaxCreatedBlobs), "MaxCreatedBlobs"),
        Kernel("kernel.maxBlobBytes", "Largest blob a function may write.",
            (k, v) => k with { MaxBlobBytes = Long(v) }, k => Show(k.MaxBlobBytes), "MaxBlobBytes"),
        Kernel("kernel.maxInvokeDepth", "Longest chain of nested function calls.",
            (k, v) => k with { MaxInvokeDepth = Int(v) }, k => Show(k.MaxInvokeDepth), "MaxInvokeDepth"),
        Kernel("kernel.maxInvokeResultBytes", "Largest result a nested call hands back to its caller.",
            (k, v) => k with { MaxInvokeResultBytes = Int(v) }, k => Show(k.MaxInvokeResultBytes), "MaxInvokeResultBytes"),
        Kernel("kernel.serviceTimeout", "Limit of one external service request.",
            (k, v) => k with { ServiceTimeout = Duration(v) }, k => Show(k.ServiceTimeout), "ServiceTimeout"),
        Kernel("kernel.maxServiceResponseBytes", "Largest service response body handed to a function.",
            (k, v) => k with { MaxServiceResponseBytes = Int(v) }, k => Show(k.MaxServiceResponseBytes), "MaxServiceResponseBytes"),

        Gateway("limits.maxJsonBytes", "Largest JSON request body; more is 413.",
            (g, v) => g with { MaxJsonBytes = Int(v) }, g => Show(g.MaxJsonBytes), "MaxJsonBytes"),
        Gateway("limits.maxFileBytes", "Largest file body (files live in the metadata store; bulk data goes into blobs).",
            (g, v) => g with { MaxFileBytes = Int(v) }, g => Show(g.MaxFileBytes), "MaxFileBytes"),
        Gateway("limits.maxHookBytes", "Largest webhook delivery.",
            (g, v) => g with { MaxHookBytes = Int(v) }, g => Show(g.MaxHookBytes), "MaxHookBytes"),
        Gateway("limits.maxBlobUploadBytes", "Largest blob upload.",
            (g, v) => g with { MaxBlobUploadBytes = Long(v) }, g => Show(g.MaxBlobUploadBytes), "MaxBlobUploadBytes"),
        Gateway("limits.blobQuotaBytes", "Blob bytes each user may upload in total.",
            (g, v) => g with { BlobQuotaBytes = Long(v) }, g => Show(g.BlobQuotaBytes), "BlobQuotaBytes"),
        Gateway("limits.anonymousBlobQuotaBytes", "Blob bytes anonymous callers may upload in total.",
            (g, v) => g with { AnonymousBlobQuotaBytes = Long(v) }, g => Show(g.AnonymousBlobQuotaBytes), "AnonymousBlobQuotaBytes"),
        Gateway("webhooks.replayWindow", "How long a webhook delivery id is remembered (a replay inside it is 409).",
            (g, v) => g with { WebhookReplay = g.WebhookReplay with { Window = Duration(v) } }, g => Show(g.WebhookReplay.Window), "WebhookReplay.Window"),
        Gateway("webhooks.maxDeliveries", "Delivery ids remembered at most.",
            (g, v) => g with { WebhookReplay = g.WebhookReplay with { MaxDeliveries = Int(v) } }, g => Show(g.WebhookReplay.MaxDeliveries), "WebhookReplay.MaxDeliveries"),
        Gateway("schedules.pollInterval", "How often each gateway looks for due schedule ticks.",
            (g, v) => g with { Schedules = g.Schedules with { PollInterval = Duration(v) } }, g => Show(g.Schedules.PollInterval), "Schedules.PollInterval"),
        Gateway("schedules.lookback", "How far back a tick no gateway claimed yet still fires (after a restart or a slow poll).",
            (g, v) => g with { Schedules = g.Schedules with { Lookback = Duration(v) } }, g => Show(g.Schedules.Lookback), "Schedules.Lookback"),
        Gateway("login.failuresPerUser", "Failed logins per user name per login.window before 429.",
            (g, v) => g with { LoginThrottle = g.LoginThrottle with { FailuresPerUser = Int(v) } }, g => Show(g.LoginThrottle.FailuresPerUser), "LoginThrottle.FailuresPerUser"),
        Gateway("login.failuresPerAddress", "Failed logins per client address per login.window before 429.",
            (g, v) => g with { LoginThrottle = g.LoginThrottle with { FailuresPerAddress = Int(v) } }, g => Show(g.LoginThrottle.FailuresPerAddress), "LoginThrottle.FailuresPerAddress"),
        Gateway("login.window", "The login throttle's window.",
            (g, v) => g with { LoginThrottle = g.LoginThrottle with { Window = Duration(v) } }, g => Show(g.LoginThrottle.Window), "LoginThrottle.Window"),
        Gateway("login.concurrentPerAddress", "Password checks one client address may run at once.",
            (g, v) => g with { LoginThrottle = g.LoginThrottle with { ConcurrentPerAddress = Int(v) } }, g => Show(g.LoginThrottle.ConcurrentPerAddress), "LoginThrottle.ConcurrentPerAddress"),

        Sandbox("sandbox.bwrap", "The bubblewrap executable.", (b, v) => b with { BwrapPath = v }, b => b.BwrapPath, "BwrapPath"),
        Sandbox("sandbox.python", "The interpreter inside the sandbox.", (b, v) => b with { PythonPath = v }, b => b.PythonPath, "PythonPath"),
        Sandbox("sandbox.tmpSizeBytes", "Size of each VM's private /tmp (counted against its memory limit too).",
            (b, v) => b with { TmpSizeBytes = Long(v) }, b => Show(b.TmpSizeBytes), "TmpSizeBytes"),
        Sandbox("sandbox.maxProcesses", "Processes and threads one VM may have at once.",
            (b, v) => b with { MaxProcesses = Int(v) }, b => Show(b.MaxProcesses), "MaxProcesses"),
        Sandbox("sandbox.startTimeout", "Limit from launching a VM to its runtime's hello.",
            (b, v) => b with { StartTimeout = Duration(v) }, b => Show(b.StartTimeout), "StartTimeout"),
        Sandbox("sandbox.useCgroups", "Per-VM memory and pids cgroups where the host allows them (else rlimits).",
            (b, v) => b with { UseCgroups = Bool(v) }, b => Show(b.UseCgroups), "UseCgroups"),
        Sandbox("sandbox.useTemplates", "Fork new VMs from a per-image template (needs cgroups) instead of launching each one.",
            (b, v) => b with { UseTemplates = Bool(v) }, b => Show(b.UseTemplates), "UseTemplates"),
        Sandbox("sandbox.forkTimeout", "Limit from a fork request to the forked VM's connection.",
            (b, v) => b with { ForkTimeout = Duration(v) }, b => Show(b.ForkTimeout), "ForkTimeout"),
        Sandbox("sandbox.maxChildrenPerTemplate", "VMs forked from one template alive at once; past it the next forks go to a new template of the same image.",
            (b, v) => b with { MaxChildrenPerTemplate = Int(v) }, b => Show(b.MaxChildrenPerTemplate), "MaxChildrenPerTemplate"),
        Sandbox("sandbox.templateIdleTimeout", "A template without VMs and without a fork for this long is destroyed.",
            (b, v) => b with { TemplateIdleTimeout = Duration(v) }, b => Show(b.TemplateIdleTimeout), "TemplateIdleTimeout"),
        Sandbox("sandbox.maxTemplates", "VM templates alive at once (they are outside worker.memoryBudgetMb); past it, new images' VMs start fresh.",
            (b, v) => b with { MaxTemplates = Int(v) }, b => Show(b.MaxTemplates), "MaxTemplates"),

        new("gc.grace", "A blob or object is collected only once unreferenced this long (uploads not yet linked are kept).",
            (s, v) => s with { Server = s.Server with { Collector = s.Server.Collector with { Grace = Duration(v) } } }, s => Show(s.Server.Collector.Grace), "gc:Grace"),
        new("gc.interval", "How often the server collects garbage in the background.",
            (s, v) => s with { Server = s.Server with { Collector = s.Server.Collector with { Interval = Duration(v) } } }, s => Show(s.Server.Collector.Interval), "gc:Interval"),
        new("records.retention", "How long invocation records (with their logs and taint trail) are kept.",
            (s, v) => s with { Server = s.Server with { Records = s.Server.Records with { Retention = Duration(v) } } }, s => Show(s.Server.Records.Retention), "records:Retention"),
        new("records.maxLogBytes", "Bytes of a function's stdout and stderr kept per invocation; the rest is dropped and the record marked truncated.",
            (s, v) => s with { Server = s.Server with { Records = s.Server.Records with { MaxLogBytes = Int(v) } } }, s => Show(s.Server.Records.MaxLogBytes), "records:MaxLogBytes"),
        new("records.maxPending", "Records waiting to be stored at most; past it new ones are dropped (counted in faasten_records_dropped_total), never an invocation slowed.",
            (s, v) => s with { Server = s.Server with { Records = s.Server.Records with { MaxPending = Int(v) } } }, s => Show(s.Server.Records.MaxPending), "records:MaxPending"),
        new("records.batchDelay", "How long records are gathered before they are stored in one transaction.",
            (s, v) => s with { Server = s.Server with { Records = s.Server.Records with { BatchDelay = Duration(v) } } }, s => Show(s.Server.Records.BatchDelay), "records:BatchDelay"),
        new("operator.listen", "HOST:PORT of the operator endpoint (GET /metrics, Prometheus text; a cluster worker also answers /healthz and /readyz there); never the public port. Default: off.",
            (s, v) => s with { OperatorListen = v }, s => s.OperatorListen ?? "", "operator.listen"),
        new("logging.level", "Least severe log level written: trace, debug, information, warning, error, critical.",
            (s, v) => s with { Server = s.Server with { Logging = s.Server.Logging with { Level = Enum<LogLevel>(v) } } }, s => s.Server.Logging.Level.ToString().ToLowerInvariant()),
        new("logging.format", "Console log format: text, or json (one object per line).",
            (s, v) => s with { Server = s.Server with { Logging = s.Server.Logging with { Format = Enum<LogFormat>(v) } } }, s => s.Server.Logging.Format.ToString().ToLowerInvariant()),
    ];

    private static ConfigKey Gateway(string path, string description, Func<GatewayOptions, string, GatewayOptions> set, Func<GatewayOptions, string> show, string property) =>
        new(path, description, (s, v) => s with { Server = s.Server with { Gateway = set(s.Server.Gateway, v) } }, s => show(s.Server.Gateway), "gateway:" + property);

    private static ConfigKey Worker(string path, string description, Func<WorkerOptions, string, WorkerOptions> set, Func<WorkerOptions, string> show, string property) =>
        new(path, description, (s, v) => s with { Server = s.Server with { Worker = set(s.Server.Worker, v) } }, s => show(s.Server.Worker), "worker:" + property);

    private static ConfigKey Images(string path, string description, Func<FunctionImageCacheOptions, string, FunctionImageCacheOptions> set, Func<FunctionImageCacheOptions, string> show, string property) =>
        Worker(path, description, (w, v) => w with { ImageCache = set(w.ImageCache, v) }, w => show(w.ImageCache), "ImageCache." + property);

    private static ConfigKey Kernel(string path, string description, Func<CloudCallKernelOptions, string, CloudCallKernelOptions> set, Func<CloudCallKernelOptions, string> show, string property) =>
        Worker(path, description, (w, v) => w with { Kernel = set(w.Kernel, v) }, w => show(w.Kernel), "Kernel." + property);

    private static ConfigKey Sandbox(string path, string description, Func<BubblewrapOptions, string, BubblewrapOptions> set, Func<BubblewrapOptions, string> show, string property) =>
        new(path, description, (s, v) => s with { Server = s.Server with { Sandbox = set(s.Server.Sandbox ?? new(), v) } }, s => show(s.Server.Sandbox ?? new()), "sandbox:" + property);
}

using Faasten.Fs;
using Faasten.Gateway;
using Faasten.Protocol.Invocations;
using Faasten.Sandbox.Bubblewrap;
using Faasten.Worker.Hosting;
using Microsoft.Extensions.Logging;

namespace Faasten.Hosting;

/// <summary>Everything <c>faasten serve</c> (or a functional test) chooses about the embedded all-in-one server.</summary>
public sealed record FaastenServerOptions
{
    /// <summary>Data directory (SQLite metadata, blobs, signing key); created if missing. Default ./faasten-data.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>HOST:PORT to listen on; port 0 picks a free port (read it from <see cref="FaastenServer.Address"/>).</summary>
    public string Listen { get; init; } = ListenAddress.Default;

    /// <summary>The token signing key's file, shared by every gateway of a deployment; null: in the data directory.</summary>
    public string? SigningKeyFile { get; init; }

    /// <summary>Serve HTTPS with this certificate; null serves HTTP.</summary>
    public TlsOptions? Tls { get; init; }

    public GatewayOptions Gateway { get; init; } = new();

    /// <summary>Slots, queue, VM memory budget, image cache, drain timeout.</summary>
    public WorkerOptions Worker { get; init; } = new();

    /// <summary>The bubblewrap sandbox; null for its defaults.</summary>
    public BubblewrapOptions? Sandbox { get; init; }

    public LoggingOptions Logging { get; init; } = new();

    /// <summary>Invocation records: retention, and how much of a function's output each keeps.</summary>
    public Faasten.Fs.Records.InvocationRecordsOptions Records { get; init; } = new();

    /// <summary>HOST:PORT of the operator endpoint (<c>/metrics</c>, Prometheus text); never the public port. Null: off.</summary>
    public string? OperatorListen { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The background garbage collection: grace period and interval.</summary>
    public Faasten.Fs.Collection.CollectorOptions Collector { get; init; } = new();

    /// <summary>
    /// Replaces the worker: requests go through the same in-process scheduler (configured from
    /// <see cref="Worker"/>) to this runner instead of to VMs. For tests of the front-ends.
    /// </summary>
    public Func<FileSystem, IInvoker>? Runner { get; init; }

    /// <summary>Adjusts logging after <see cref="Logging"/> is applied (tests capture or quieten it here).</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }

    internal ILoggerFactory CreateLoggerFactory() => LoggerFactory.Create(logging =>
    {
        Logging.Apply(logging);
        ConfigureLogging?.Invoke(logging);
    });
}

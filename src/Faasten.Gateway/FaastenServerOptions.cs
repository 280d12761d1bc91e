using Faasten.Fs;
using Faasten.Worker.Scheduling;
using Microsoft.Extensions.Logging;

namespace Faasten.Gateway;

/// <summary>Everything <c>faasten serve</c> (or a functional test) chooses about the embedded all-in-one server.</summary>
public sealed record FaastenServerOptions
{
    /// <summary>Data directory (SQLite metadata, blobs, signing key); created if missing. Default ./faasten-data.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>HOST:PORT to listen on; port 0 picks a free port (read it from <see cref="FaastenServer.Address"/>).</summary>
    public string Listen { get; init; } = Hosting.ListenAddress.Default;

    public GatewayOptions Gateway { get; init; } = new();

    public SchedulerOptions Scheduler { get; init; } = new();

    /// <summary>How long shutdown waits for in-flight requests and queued invocations before giving up.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// Builds the runner behind the scheduler's worker slots. Null means the embedded default.
    /// Tests substitute their own functions here.
    /// </summary>
    public Func<FileSystem, IInvocationRunner>? Runner { get; init; }

    /// <summary>Adjusts logging (the default is the console at Information, ASP.NET Core's per-request logs off).</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }
}

using Microsoft.Extensions.Logging;

namespace Faasten.Hosting;

/// <summary>The host's lifecycle events (ids 50–52, beside the gateway's in its EventIds).</summary>
internal static partial class HostingLog
{
    [LoggerMessage(EventId = 50, Level = LogLevel.Information, Message = "Faasten listening on {Address} (data in {DataDirectory})")]
    public static partial void ServerListening(ILogger logger, string address, string dataDirectory);

    [LoggerMessage(EventId = 51, Level = LogLevel.Information, Message = "Stopping: draining {Running} running and {Queued} queued invocations")]
    public static partial void ServerDraining(ILogger logger, int running, int queued);

    [LoggerMessage(EventId = 52, Level = LogLevel.Information, Message = "Faasten stopped")]
    public static partial void ServerStopped(ILogger logger);
}

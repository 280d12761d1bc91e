using Microsoft.Extensions.Logging;

namespace Faasten.Hosting;

/// <summary>The host's events: lifecycle (50–53) and background work (60–62), beside the gateway's in its EventIds.</summary>
internal static partial class HostingLog
{
    [LoggerMessage(EventId = 50, Level = LogLevel.Information, Message = "Faasten listening on {Address} (data in {DataDirectory})")]
    public static partial void ServerListening(ILogger logger, string address, string dataDirectory);

    [LoggerMessage(EventId = 51, Level = LogLevel.Information, Message = "Stopping: draining {Running} running and {Queued} queued invocations")]
    public static partial void ServerDraining(ILogger logger, int running, int queued);

    [LoggerMessage(EventId = 52, Level = LogLevel.Information, Message = "Faasten stopped")]
    public static partial void ServerStopped(ILogger logger);

    [LoggerMessage(EventId = 53, Level = LogLevel.Information, Message = "Faasten gateway listening on {Address}")]
    public static partial void GatewayListening(ILogger logger, string address);

    [LoggerMessage(EventId = 54, Level = LogLevel.Information, Message = "Faasten worker {Worker} pulling invocations into {Slots} slots")]
    public static partial void WorkerStarted(ILogger logger, string worker, int slots);

    [LoggerMessage(EventId = 62, Level = LogLevel.Warning, Message = "Sweeping expired results failed; the next round runs on schedule")]
    public static partial void ResultSweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 55, Level = LogLevel.Information, Message = "Operator endpoint (metrics) on {Address}")]
    public static partial void OperatorListening(ILogger logger, string address);

    [LoggerMessage(EventId = 63, Level = LogLevel.Error, Message = "Invocation records could not be stored or pruned")]
    public static partial void RecordsFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 60, Level = LogLevel.Information, Message = "Garbage collection: {Report}")]
    public static partial void CollectionCompleted(ILogger logger, Faasten.Fs.Collection.CollectionReport report);

    [LoggerMessage(EventId = 61, Level = LogLevel.Error, Message = "Garbage collection failed; the next round runs on schedule")]
    public static partial void CollectionFailed(ILogger logger, Exception exception);
}

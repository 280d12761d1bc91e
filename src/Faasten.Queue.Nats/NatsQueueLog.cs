using Faasten.Protocol.Invocations;
using Microsoft.Extensions.Logging;

namespace Faasten.Queue.Nats;

/// <summary>The queue's log events (ids 7000–7099): ids, gate paths and statuses, never payloads or results.</summary>
internal static partial class NatsQueueLog
{
    [LoggerMessage(EventId = 7000, Level = LogLevel.Information, Message = "Queued invocation {Id} of {GatePath} (depth {Depth}, delivery {Delivery}) finished {Status} on worker {Worker}")]
    public static partial void QueuedFinished(this ILogger logger, string id, string gatePath, int depth, ulong delivery, InvocationStatus status, string worker);

    [LoggerMessage(EventId = 7008, Level = LogLevel.Debug, Message = "Queued invocation {Id} of {GatePath} (delivery {Delivery}) started on worker {Worker}")]
    public static partial void QueuedStarted(this ILogger logger, string id, string gatePath, ulong delivery, string worker);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Nested invocation {Id} of {GatePath} (depth {Depth}) finished {Status} on worker {Worker}")]
    public static partial void NestedFinished(this ILogger logger, string id, string gatePath, int depth, InvocationStatus status, string worker);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "Sync invocation {Id} of {GatePath} was redelivered (delivery {Delivery}): its worker stopped; the caller is told it crashed")]
    public static partial void SyncRedelivered(this ILogger logger, string id, string gatePath, ulong delivery);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Information, Message = "Async invocation {Id} already has a result; the redelivered request is dropped")]
    public static partial void AlreadyRecorded(this ILogger logger, string id);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Warning, Message = "A malformed request on the invocation stream was dropped")]
    public static partial void MalformedRequest(this ILogger logger, Exception error);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Warning, Message = "Pulling from the invocation stream failed; retrying")]
    public static partial void PullFailed(this ILogger logger, Exception error);

    [LoggerMessage(EventId = 7006, Level = LogLevel.Warning, Message = "Invocation {Id}: its outcome could not be recorded; the request goes back to the queue")]
    public static partial void RecordFailed(this ILogger logger, Exception error, string id);

    [LoggerMessage(EventId = 7007, Level = LogLevel.Warning, Message = "Serving the nested-call subject failed; resubscribing")]
    public static partial void NestedSubscriptionFailed(this ILogger logger, Exception error);
}

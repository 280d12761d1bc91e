using Microsoft.Extensions.Logging;

namespace Faasten.Gateway.Logging;

/// <summary>The gateway's log events. They carry ids, paths, labels and statuses, never payloads, passwords or tokens.</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(EventId = EventIds.UnhandledException, Level = LogLevel.Error, Message = "Unhandled exception in {Method} {Route}")]
    public static partial void UnhandledException(ILogger logger, Exception exception, string method, string route);

    [LoggerMessage(EventId = EventIds.BackendUnavailable, Level = LogLevel.Warning, Message = "{Method} {Route}: a backing service is unreachable ({Error}); answered 503")]
    public static partial void BackendUnavailable(ILogger logger, string error, string method, string route);

    [LoggerMessage(EventId = EventIds.ResponseWithheld, Level = LogLevel.Information, Message = "Withheld {Method} {Route}: response labeled {Label} does not flow to {RequestLabel} under {Privilege}")]
    public static partial void ResponseWithheld(ILogger logger, string method, string route, string label, string requestLabel, string privilege);

    [LoggerMessage(EventId = EventIds.TokenRejected, Level = LogLevel.Information, Message = "Rejected bearer token: {Reason}")]
    public static partial void TokenRejected(ILogger logger, string reason);

    [LoggerMessage(EventId = EventIds.LoginSucceeded, Level = LogLevel.Information, Message = "User {User} logged in")]
    public static partial void LoginSucceeded(ILogger logger, string user);

    [LoggerMessage(EventId = EventIds.LoginFailed, Level = LogLevel.Warning, Message = "Failed login for {User}")]
    public static partial void LoginFailed(ILogger logger, string user);

    [LoggerMessage(EventId = EventIds.LoginThrottled, Level = LogLevel.Warning, Message = "Login for {User} throttled: too many failures for the user or the address")]
    public static partial void LoginThrottled(ILogger logger, string user);

    [LoggerMessage(EventId = EventIds.TokenDelegated, Level = LogLevel.Information, Message = "Delegated privilege {Privilege} from {From}")]
    public static partial void TokenDelegated(ILogger logger, string privilege, string from);

    [LoggerMessage(EventId = EventIds.InvocationCompleted, Level = LogLevel.Debug, Message = "Invocation {Id} of {GatePath} finished: {Status}")]
    public static partial void InvocationCompleted(ILogger logger, string id, string gatePath, string status);

    [LoggerMessage(EventId = EventIds.InvocationSubmitted, Level = LogLevel.Debug, Message = "Invocation {Id} of {GatePath} submitted: {Status}")]
    public static partial void InvocationSubmitted(ILogger logger, string id, string gatePath, string status);

    [LoggerMessage(EventId = EventIds.BlobUploaded, Level = LogLevel.Information, Message = "Blob {Hash} ({Length} bytes) uploaded for {Path}: {Status}")]
    public static partial void BlobUploaded(ILogger logger, string hash, long length, string path, string status);

    [LoggerMessage(EventId = EventIds.BlobUploadRefused, Level = LogLevel.Information, Message = "Blob upload for {Path} refused before its content was stored: {Reason}")]
    public static partial void BlobUploadRefused(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = EventIds.HookAccepted, Level = LogLevel.Information, Message = "Hook {TriggerPath} delivery {Delivery} event {Event} submitted as {Id}")]
    public static partial void HookAccepted(ILogger logger, string triggerPath, string delivery, string @event, string id);

    [LoggerMessage(EventId = EventIds.HookRejected, Level = LogLevel.Warning, Message = "Hook {TriggerPath} delivery {Delivery} rejected: {Reason}")]
    public static partial void HookRejected(ILogger logger, string triggerPath, string delivery, string reason);

    [LoggerMessage(EventId = EventIds.ScheduleFired, Level = LogLevel.Information, Message = "Schedule {Schedule} tick {Tick} submitted as {Id}: {Status}")]
    public static partial void ScheduleFired(ILogger logger, string schedule, DateTimeOffset tick, string id, string status);

    [LoggerMessage(EventId = EventIds.ScheduleRunFailed, Level = LogLevel.Warning, Message = "Schedules could not be run this time")]
    public static partial void ScheduleRunFailed(ILogger logger, Exception exception);
}

using Faasten.Labels;
using Faasten.Protocol.Invocations;
using Faasten.Sandbox.Vm;
using Microsoft.Extensions.Logging;

namespace Faasten.Worker.Logging;

/// <summary>
/// The worker's log events. They carry ids, gate paths, image hashes, labels and statuses;
/// never payloads, results or the function-influenced text of an outcome.
/// </summary>
internal static partial class WorkerLog
{
    [LoggerMessage(EventId = WorkerEventIds.InvocationFinished, Level = LogLevel.Debug, Message = "Invocation {Id} of {GatePath} (depth {Depth}) finished {Status} on VM {VmId} in {ElapsedMs} ms; final label {Label}")]
    public static partial void InvocationFinished(this ILogger logger, string id, string gatePath, int depth, InvocationStatus status, string vmId, double elapsedMs, Label label);

    [LoggerMessage(EventId = WorkerEventIds.InvocationCompleted, Level = LogLevel.Information, Message = "Invocation {Id} finished {Status} in {DurationMs} ms ({Start})")]
    public static partial void InvocationCompleted(this ILogger logger, string id, string status, double durationMs, string start);

    [LoggerMessage(EventId = WorkerEventIds.InvocationRefused, Level = LogLevel.Information, Message = "Invocation {Id} of {GatePath} refused: {Status}")]
    public static partial void InvocationRefused(this ILogger logger, string id, string gatePath, InvocationStatus status);

    [LoggerMessage(EventId = WorkerEventIds.InvocationForbidden, Level = LogLevel.Information, Message = "Invocation {Id} of {GatePath} forbidden: privilege {Privilege} does not imply clearance {Clearance}")]
    public static partial void InvocationForbidden(this ILogger logger, string id, string gatePath, Component privilege, Component clearance);

    [LoggerMessage(EventId = WorkerEventIds.VmStarted, Level = LogLevel.Debug, Message = "VM {VmId} started for image {ImageHash} ({MemoryMb} MB) in {ElapsedMs} ms")]
    public static partial void VmStarted(this ILogger logger, string vmId, string imageHash, int memoryMb, double elapsedMs);

    [LoggerMessage(EventId = WorkerEventIds.SpareStartFailed, Level = LogLevel.Information, Message = "A spare VM for image {ImageHash} did not start: {Reason}")]
    public static partial void SpareStartFailed(this ILogger logger, string imageHash, string reason);

    [LoggerMessage(EventId = WorkerEventIds.VmReused, Level = LogLevel.Trace, Message = "VM {VmId} labeled {VmLabel} reused for a start label {StartLabel}")]
    public static partial void VmReused(this ILogger logger, string vmId, Label vmLabel, Label startLabel);

    [LoggerMessage(EventId = WorkerEventIds.VmDestroyed, Level = LogLevel.Information, Message = "VM {VmId} for image {ImageHash} destroyed after {Status}")]
    public static partial void VmDestroyed(this ILogger logger, string vmId, string imageHash, InvocationStatus status);

    [LoggerMessage(EventId = WorkerEventIds.VmEvicted, Level = LogLevel.Debug, Message = "Idle VM {VmId} labeled {Label} ({MemoryMb} MB) evicted to make room")]
    public static partial void VmEvicted(this ILogger logger, string vmId, Label label, int memoryMb);

    [LoggerMessage(EventId = WorkerEventIds.VmStartFailed, Level = LogLevel.Warning, Message = "Invocation {Id}: the VM for image {ImageHash} failed to start: {Status}")]
    public static partial void VmStartFailed(this ILogger logger, string id, string imageHash, InvocationStatus status);

    [LoggerMessage(EventId = WorkerEventIds.VmExpired, Level = LogLevel.Debug, Message = "Idle VM {VmId} ({MemoryMb} MB) expired")]
    public static partial void VmExpired(this ILogger logger, string vmId, int memoryMb);

    [LoggerMessage(EventId = WorkerEventIds.FunctionPrepared, Level = LogLevel.Debug, Message = "VMs of image {ImageHash} prepared in {ElapsedMs} ms")]
    public static partial void FunctionPrepared(ILogger logger, string imageHash, double elapsedMs);

    [LoggerMessage(EventId = WorkerEventIds.FunctionPrepareFailed, Level = LogLevel.Warning, Message = "VMs of image {ImageHash} could not be prepared (the first invocation starts them): {Reason}")]
    public static partial void FunctionPrepareFailed(ILogger logger, string imageHash, string reason);

    [LoggerMessage(EventId = WorkerEventIds.WaitingForMemory, Level = LogLevel.Debug, Message = "Waiting for {MemoryMb} MB: {LiveMb} MB of {BudgetMb} MB are held by running VMs")]
    public static partial void WaitingForMemory(this ILogger logger, int memoryMb, int liveMb, int budgetMb);

    [LoggerMessage(EventId = WorkerEventIds.FunctionTooLarge, Level = LogLevel.Warning, Message = "Invocation {Id} of {GatePath}: the function needs {MemoryMb} MB, more than the worker's whole budget of {BudgetMb} MB")]
    public static partial void FunctionTooLarge(this ILogger logger, string id, string gatePath, int memoryMb, int budgetMb);

    [LoggerMessage(EventId = WorkerEventIds.RunnerFailed, Level = LogLevel.Error, Message = "Invocation {Id} of {GatePath} failed inside the worker")]
    public static partial void RunnerFailed(this ILogger logger, Exception exception, string id, string gatePath);
}

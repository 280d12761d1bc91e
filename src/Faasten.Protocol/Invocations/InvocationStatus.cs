namespace Faasten.Protocol.Invocations;

/// <summary>
/// How an invocation ended, in every layer: the VM's outcome, the worker's and the scheduler's
/// replies, the wire (<c>faasten.v1.InvokeStatus</c>, same numbers) and the HTTP answer. Each
/// boundary maps it once: <see cref="InvocationWire"/> to protobuf, the gateway to HTTP, the
/// kernel to a CloudCall reply.
/// </summary>
public enum InvocationStatus
{
    Unspecified = 0,

    /// <summary>handle() returned; the body is its JSON result.</summary>
    Ok = 1,

    /// <summary>handle() raised (or the workload failed to load); the body describes the error.</summary>
    FunctionError = 2,

    /// <summary>The invoker's privilege does not imply the gate's clearance.</summary>
    Forbidden = 3,

    NotFound = 4,

    /// <summary>The queue, or the invoker's share of it, is full.</summary>
    QueueFull = 5,

    /// <summary>The wall-clock limit passed; the VM was destroyed.</summary>
    Timeout = 6,

    /// <summary>The VM exceeded its memory limit (or none fits the budget); it was destroyed.</summary>
    OutOfMemory = 7,

    /// <summary>The VM died or broke the CloudCall protocol; it was destroyed.</summary>
    Crashed = 8,

    BadRequest = 9,

    Internal = 10,

    /// <summary>An async invocation that has not finished yet.</summary>
    Pending = 11,
}

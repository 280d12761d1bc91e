using Faasten.Fs;
using Faasten.Protocol.Labels;
using Faasten.Protocol.V1;
using Faasten.Sandbox.Vm;
using Google.Protobuf;
using Label = Faasten.Labels.Label;

namespace Faasten.Worker.Execution;

/// <summary>
/// The replies a worker makes. Every one carries the label of what it depends on: a refusal
/// after resolving the gate depends on every directory traversed; a run's outcome on the
/// invocation's final label, downgraded by the gate's declassify component.
/// </summary>
internal static class WorkerReplies
{
    public static InvokeReply Make(InvokeStatus status, ReadOnlyMemory<byte> body, Label label) => new()
    {
        Status = status,
        Body = ByteString.CopyFrom(body.Span),
        Label = label.ToProto(),
    };

    public static InvokeReply Make(InvokeStatus status, string? message, Label label) =>
        Make(status, System.Text.Encoding.UTF8.GetBytes(message ?? ""), label);

    /// <summary>The gate path did not resolve to a gate.</summary>
    public static InvokeReply Unresolved(FsResult result, Label label) => Make(
        result.Status switch
        {
            FsStatus.NotFound => InvokeStatus.NotFound,
            FsStatus.LabelDenied or FsStatus.PrivilegeDenied => InvokeStatus.Forbidden,
            _ => InvokeStatus.BadRequest,
        },
        result.Message,
        label);

    /// <summary>
    /// A VM outcome: the body is the function's result, its error, or the one-line reason it was
    /// stopped (all of them may depend on what it read).
    /// </summary>
    public static InvokeReply Completed(InvocationOutcome outcome, Label label) => outcome.Status switch
    {
        InvocationStatus.Ok => Make(InvokeStatus.Ok, outcome.Body, label),
        InvocationStatus.FunctionError => Make(InvokeStatus.FunctionError, outcome.Body, label),
        _ => Make(Map(outcome.Status), outcome.Message, label),
    };

    public static InvokeStatus Map(InvocationStatus status) => status switch
    {
        InvocationStatus.Ok => InvokeStatus.Ok,
        InvocationStatus.FunctionError => InvokeStatus.FunctionError,
        InvocationStatus.Timeout => InvokeStatus.Timeout,
        InvocationStatus.OutOfMemory => InvokeStatus.OutOfMemory,
        InvocationStatus.Crashed or InvocationStatus.ProtocolViolation => InvokeStatus.Crashed,
        _ => InvokeStatus.Internal,
    };

    /// <summary>Whether the VM survives the outcome (DESIGN §4 step 5: anything else is destroyed).</summary>
    public static bool KeepsVm(InvocationStatus status) => status is InvocationStatus.Ok or InvocationStatus.FunctionError;
}

using Faasten.Fs;
using Faasten.Labels;
using Faasten.Protocol.Invocations;
using Faasten.Sandbox.Vm;

namespace Faasten.Worker.Execution;

/// <summary>
/// The replies a worker makes. Every one carries the label of what it depends on: a refusal
/// after resolving the gate depends on every directory traversed; a run's outcome on the
/// invocation's final label, downgraded by the gate's declassify component.
/// </summary>
internal static class WorkerReplies
{
    public static InvocationReply Make(InvocationRequest request, InvocationStatus status, ReadOnlyMemory<byte> body, Label label) =>
        new(request.Id, status, body, label);

    public static InvocationReply Make(InvocationRequest request, InvocationStatus status, string? message, Label label) =>
        InvocationReply.Refusal(request.Id, status, message ?? "", label);

    /// <summary>The gate path did not resolve to a gate.</summary>
    public static InvocationReply Unresolved(InvocationRequest request, FsResult result, Label label) => Make(
        request,
        result.Status switch
        {
            FsStatus.NotFound => InvocationStatus.NotFound,
            FsStatus.LabelDenied or FsStatus.PrivilegeDenied => InvocationStatus.Forbidden,
            _ => InvocationStatus.BadRequest,
        },
        result.Message,
        label);

    /// <summary>
    /// A VM outcome: the body is the function's result, its error, or the one-line reason it was
    /// stopped (all of them may depend on what it read).
    /// </summary>
    public static InvocationReply Completed(InvocationRequest request, InvocationOutcome outcome, Label label) => outcome.Status switch
    {
        InvocationStatus.Ok or InvocationStatus.FunctionError => Make(request, outcome.Status, outcome.Body, label),
        _ => Make(request, outcome.Status, outcome.Message, label),
    };

    /// <summary>Whether the VM survives the outcome (DESIGN §4 step 5: anything else is destroyed).</summary>
    public static bool KeepsVm(InvocationStatus status) => status is InvocationStatus.Ok or InvocationStatus.FunctionError;
}

using Faasten.Protocol.V1;

namespace Faasten.Sandbox.Kernel;

/// <summary>
/// How a function's <c>invoke</c> CloudCall reaches other functions. The kernel fills the
/// request from the caller (invoker privilege = the caller's privilege, payload label = its
/// current label, depth + 1); the worker routes it through the scheduler, which authorizes it
/// against the gate like any other request (DESIGN §4).
/// </summary>
public interface IFunctionInvoker
{
    /// <summary>Runs the request and waits for its reply (a sync call).</summary>
    ValueTask<InvokeReply> InvokeAsync(InvokeRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Enqueues the request without waiting (an async call): a reply with status
    /// <see cref="InvokeStatus.Pending"/> and the id to poll, or a refusal such as QueueFull.
    /// </summary>
    ValueTask<InvokeReply> SubmitAsync(InvokeRequest request, CancellationToken cancellationToken);
}

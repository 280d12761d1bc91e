using Faasten.Protocol.V1;

namespace Faasten.Worker;

/// <summary>
/// The label-oblivious scheduler (DESIGN §4): a bounded queue of invoke requests handed to
/// idle worker slots. It never looks at labels; the worker that runs a request authorizes it.
/// The in-process implementation is the embedded default; a broker-backed one can follow.
/// </summary>
public interface IInvocationScheduler
{
    /// <summary>
    /// Runs a request and waits for its reply. A full queue answers at once with
    /// <see cref="InvokeStatus.QueueFull"/>.
    /// </summary>
    ValueTask<InvokeReply> InvokeAsync(InvokeRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Enqueues a request without waiting. Returns a reply with status
    /// <see cref="InvokeStatus.Pending"/> and the request's id, or QueueFull.
    /// </summary>
    ValueTask<InvokeReply> SubmitAsync(InvokeRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// The reply of an async request: Pending while it runs, null when unknown or expired. The
    /// caller releases it only under the reply's label (DESIGN §3 rule 7).
    /// </summary>
    InvokeReply? TryGetResult(string id);
}

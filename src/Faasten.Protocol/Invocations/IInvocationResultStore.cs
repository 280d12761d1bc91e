namespace Faasten.Protocol.Invocations;

/// <summary>
/// The write side of async results, shared by every process of a cluster: a gateway records an
/// invocation as pending before it queues it, the worker that runs it records the reply. Replies
/// are stored as the worker made them; releasing one stays the fetcher's job (rule 7).
/// </summary>
public interface IInvocationResultStore : IInvocationResults
{
    /// <summary>Records <paramref name="id"/> as pending; false when an invocation with that id exists.</summary>
    ValueTask<bool> TryAddPendingAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records the reply, kept for the retention from now. Once per id: false when a reply is
    /// already recorded (a redelivered request that ran twice keeps its first reply).
    /// </summary>
    ValueTask<bool> CompleteAsync(InvocationReply reply, CancellationToken cancellationToken = default);

    /// <summary>True when a reply is recorded under the id (so a redelivered request need not run again).</summary>
    ValueTask<bool> IsCompleteAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Forgets a pending id whose request never made it into the queue.</summary>
    ValueTask RemoveAsync(string id, CancellationToken cancellationToken = default);
}

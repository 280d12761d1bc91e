namespace Faasten.Protocol.Invocations;

/// <summary>
/// The replies of async invocations, kept for their retention. The embedded scheduler keeps
/// them in memory; a cluster keeps them in the shared metadata store so any gateway answers.
/// </summary>
public interface IInvocationResults
{
    /// <summary>
    /// Pending while it runs, null when unknown or expired. The caller releases it only under
    /// the reply's label (DESIGN §3 rule 7).
    /// </summary>
    ValueTask<InvocationReply?> GetAsync(string id, CancellationToken cancellationToken = default);
}

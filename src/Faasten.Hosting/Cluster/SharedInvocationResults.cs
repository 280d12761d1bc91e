using Faasten.Fs.Postgres;
using Faasten.Protocol.Invocations;
using Faasten.Protocol.V1;
using Google.Protobuf;

namespace Faasten.Hosting.Cluster;

/// <summary>
/// Async results of a cluster in the shared PostgreSQL table, so any gateway answers
/// <c>GET /invocations/{id}</c>: the reply is stored as its protobuf message, label included, and
/// released by the fetching gateway under that label (rule 7) like the embedded store's.
/// </summary>
internal sealed class SharedInvocationResults(PostgresResultTable table, TimeSpan retention, TimeProvider time) : IInvocationResultStore
{
    /// <summary>A pending row whose worker never recorded a reply (its request dropped after MaxDeliver) stops counting after this.</summary>
    internal static readonly TimeSpan PendingLifetime = TimeSpan.FromDays(1);

    public ValueTask<bool> TryAddPendingAsync(string id, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        return table.TryAddPendingAsync(id, now + PendingLifetime, now, cancellationToken);
    }

    public ValueTask<bool> CompleteAsync(InvocationReply reply, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return table.CompleteAsync(reply.Id, reply.ToProto().ToByteArray(), time.GetUtcNow() + retention, cancellationToken);
    }

    public ValueTask<bool> IsCompleteAsync(string id, CancellationToken cancellationToken = default) => table.IsCompleteAsync(id, cancellationToken);

    public ValueTask RemoveAsync(string id, CancellationToken cancellationToken = default) => table.RemovePendingAsync(id, cancellationToken);

    public async ValueTask<InvocationReply?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        var (found, reply) = await table.GetAsync(id, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (!found)
        {
            return null;
        }

        return reply is null
            ? InvocationReply.Public(id, InvocationStatus.Pending, "pending")
            : InvokeReply.Parser.ParseFrom(reply).FromProto() with { Id = id };
    }
}

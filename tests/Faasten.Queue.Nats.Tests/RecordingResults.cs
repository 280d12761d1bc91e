using System.Collections.Concurrent;
using Faasten.Protocol.Invocations;

namespace Faasten.Queue.Nats.Tests;

/// <summary>
/// The result store as the queue sees it, kept in memory so these tests look at the queue alone
/// (the PostgreSQL store has its own tests, and the cluster tests run the two together).
/// </summary>
internal sealed class RecordingResults : IInvocationResultStore
{
    private readonly ConcurrentDictionary<string, InvocationReply?> _results = new(StringComparer.Ordinal);

    public ValueTask<bool> TryAddPendingAsync(string id, CancellationToken cancellationToken = default) => new(_results.TryAdd(id, null));

    public ValueTask<bool> CompleteAsync(InvocationReply reply, CancellationToken cancellationToken = default) =>
        new(_results.TryGetValue(reply.Id, out var existing) && existing is null ? _results.TryUpdate(reply.Id, reply, null) : _results.TryAdd(reply.Id, reply));

    public ValueTask<bool> IsCompleteAsync(string id, CancellationToken cancellationToken = default) => new(_results.TryGetValue(id, out var r) && r is not null);

    public ValueTask RemoveAsync(string id, CancellationToken cancellationToken = default)
    {
        _results.TryRemove(id, out _);
        return ValueTask.CompletedTask;
    }

    public ValueTask<InvocationReply?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        new(_results.TryGetValue(id, out var r) ? r ?? InvocationReply.Public(id, InvocationStatus.Pending, "pending") : null);
}

using System.Collections.Concurrent;
using Faasten.Protocol.Invocations;

namespace Faasten.Worker.Scheduling;

/// <summary>
/// Async invocation results, kept for a retention period after completion. Stores replies
/// as the worker made them; releasing one is the fetcher's job (rule 7).
/// </summary>
internal sealed class ResultStore(TimeProvider time, TimeSpan retention) : IInvocationResults
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public bool TryAddPending(string id) => _entries.TryAdd(id, new Entry(null, DateTimeOffset.MaxValue));

    public void Complete(string id, InvocationReply reply) => _entries[id] = new Entry(reply, time.GetUtcNow() + retention);

    public void Remove(string id) => _entries.TryRemove(id, out _);

    public ValueTask<InvocationReply?> GetAsync(string id, CancellationToken cancellationToken = default) => ValueTask.FromResult(TryGet(id));

    public InvocationReply? TryGet(string id)
    {
        if (!_entries.TryGetValue(id, out var entry))
        {
            return null;
        }

        if (entry.ExpiresAt <= time.GetUtcNow())
        {
            _entries.TryRemove(KeyValuePair.Create(id, entry));
            return null;
        }

        return entry.Reply ?? InvocationReply.Public(id, InvocationStatus.Pending, "pending");
    }

    /// <summary>Drops expired results; called periodically so unfetched results do not accumulate.</summary>
    public int Sweep()
    {
        var now = time.GetUtcNow();
        var removed = 0;
        foreach (var pair in _entries)
        {
            if (pair.Value.ExpiresAt <= now && _entries.TryRemove(pair))
            {
                removed++;
            }
        }

        return removed;
    }

    public int Count => _entries.Count;

    private readonly record struct Entry(InvocationReply? Reply, DateTimeOffset ExpiresAt);
}

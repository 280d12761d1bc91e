using System.Collections.Concurrent;
using Faasten.Protocol.V1;

namespace Faasten.Worker.Scheduling;

/// <summary>
/// Async invocation results, kept for a retention period after completion. Stores replies
/// as the worker made them; releasing one is the fetcher's job (rule 7).
/// </summary>
internal sealed class ResultStore(TimeProvider time, TimeSpan retention)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public bool TryAddPending(string id) => _entries.TryAdd(id, new Entry(null, DateTimeOffset.MaxValue));

    public void Complete(string id, InvokeReply reply) => _entries[id] = new Entry(reply, time.GetUtcNow() + retention);

    public void Remove(string id) => _entries.TryRemove(id, out _);

    public InvokeReply? TryGet(string id)
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

        return entry.Reply ?? Replies.Status(id, InvokeStatus.Pending, "pending");
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

    private readonly record struct Entry(InvokeReply? Reply, DateTimeOffset ExpiresAt);
}

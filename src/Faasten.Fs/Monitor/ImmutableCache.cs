using System.Collections.Concurrent;

namespace Faasten.Fs.Monitor;

/// <summary>
/// Facts that never change once stored, by key: directory and faceted-directory records (their
/// labels are immutable, their contents are keys of their own) and stored facets (nothing
/// removes a facet from a reachable faceted directory). A cached fact is never stale, in this
/// process or any other: ids are fresh random values never reused, and the collector deletes
/// only what no entry reaches, so nothing resolves to a deleted one. Bounded: when full it
/// starts over rather than tracking recency.
/// </summary>
internal sealed class ImmutableCache<TKey, TValue>
    where TKey : notnull
{
    private const int Capacity = 100_000;

    private readonly ConcurrentDictionary<TKey, TValue> _values = new();

    public bool TryGet(TKey key, out TValue value) => _values.TryGetValue(key, out value!);

    public void Add(TKey key, TValue value)
    {
        if (_values.Count >= Capacity)
        {
            _values.Clear();
        }

        _values.TryAdd(key, value);
    }

    public void Remove(TKey key) => _values.TryRemove(key, out _);
}

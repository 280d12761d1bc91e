using System.Collections.Concurrent;
using Faasten.Fs.Objects;

namespace Faasten.Fs.Monitor;

/// <summary>
/// Directory and faceted-directory records by id. They never change after they are written, so
/// a cached one is never stale, in this process or any other; an id is never reused (fresh
/// random ids), and the collector deletes only records no entry reaches, so nothing resolves
/// to a deleted one. Bounded: when full it starts over rather than tracking recency.
/// </summary>
internal sealed class ImmutableRecordCache
{
    private const int Capacity = 100_000;

    private readonly ConcurrentDictionary<ObjectId, (FsObject Object, long Version)> _records = new();

    public bool TryGet(ObjectId id, out (FsObject Object, long Version) record) => _records.TryGetValue(id, out record);

    public void Add(ObjectId id, (FsObject Object, long Version) record)
    {
        if (_records.Count >= Capacity)
        {
            _records.Clear();
        }

        _records.TryAdd(id, record);
    }

    public void Remove(ObjectId id) => _records.TryRemove(id, out _);
}

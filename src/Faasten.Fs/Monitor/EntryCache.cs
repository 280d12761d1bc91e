using System.Collections.Concurrent;
using Faasten.Fs.Objects;

namespace Faasten.Fs.Monitor;

/// <summary>
/// Directory entries found on path walks, each tagged with the unlink epoch that was current
/// when the walk that read it began. Entries change only by unlink (a link adds a new key and
/// never changes one found), and every unlink, in any process, advances the store's epoch
/// after it deletes (<see cref="ObjectRepository.DeleteEntryAsync"/>). A walk reads the epoch
/// once, then accepts only entries tagged with exactly that epoch: an entry read before an
/// unlink that returned before the walk began carries an older tag and is read again, so no
/// walk ever takes an entry that a fresh read would not find. Absent names are never cached (a
/// link may add them any moment). Bounded: when full it starts over rather than tracking recency.
/// </summary>
internal sealed class EntryCache
{
    /// <summary>
    /// How long an entry is trusted at all: the staleness bound in the one case the epoch cannot
    /// cover, a process that died after deleting an entry and before advancing the epoch.
    /// </summary>
    public const long MaxAgeMs = 10_000;

    private const int Capacity = 100_000;

    private readonly ConcurrentDictionary<(ObjectId Directory, string Name), Tagged> _entries = new();

    public bool TryGet(ObjectId dir, string name, long epoch, long nowMs, out DirectoryEntry entry)
    {
        if (_entries.TryGetValue((dir, name), out var tagged) && tagged.Epoch == epoch && nowMs - tagged.ReadAtMs < MaxAgeMs)
        {
            entry = tagged.Entry;
            return true;
        }

        entry = default;
        return false;
    }

    public void Add(ObjectId dir, DirectoryEntry entry, long epoch, long nowMs)
    {
        if (_entries.Count >= Capacity)
        {
            _entries.Clear();
        }

        // A later epoch's entry is never replaced by an earlier walk's (epochs only grow).
        var tagged = new Tagged(entry, epoch, nowMs);
        _entries.AddOrUpdate((dir, entry.Name), tagged, (_, old) => old.Epoch > epoch ? old : tagged);
    }

    private readonly record struct Tagged(DirectoryEntry Entry, long Epoch, long ReadAtMs);
}

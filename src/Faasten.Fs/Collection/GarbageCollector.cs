using Faasten.Fs.Objects;
using Faasten.Fs.Storage;

namespace Faasten.Fs.Collection;

/// <summary>
/// Reclaims objects no path from the root reaches and blobs no object references, while the
/// monitor keeps running (docs/design.md, "Garbage collection"). Mark and sweep with a
/// snapshot-at-the-beginning guarantee:
/// <list type="number">
/// <item>Candidates are the objects listed before marking starts and written before the grace
/// cutoff; anything newer, or created later, is never a candidate (an object created and not
/// linked yet is young).</item>
/// <item>Marking walks the tree from the root, from every young object and from every object
/// shaded within the grace period. An unlink shades the object it removes <em>before</em> removing
/// the entry (the deletion barrier), so an object reachable when marking starts stays marked even
/// if a concurrent hard link moves it from a directory not yet scanned into one already scanned:
/// its old entry's removal shaded it. Shades are rescanned until a round finds none new.</item>
/// <item>A candidate left unmarked is deleted only at the version listed, so one rewritten since is
/// kept for the next round.</item>
/// <item>Blobs: kept when any remaining object references them, when a gate dropped them within
/// the grace period, or when committed within it (a commit of existing content refreshes the
/// time); the store re-checks that time atomically with the delete.</item>
/// </list>
/// An operation that resolves an object and links it more than the grace period later is the one
/// case this does not cover; the grace period (an hour by default) is far above any operation's
/// length.
/// </summary>
public sealed class GarbageCollector(IMetadataStore metadata, IBlobStore blobs, CollectorOptions? options = null, TimeProvider? time = null)
{
    private readonly CollectorOptions _options = options ?? new CollectorOptions();
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public GarbageCollector(FileSystem fs, CollectorOptions? options = null)
        : this(fs.Metadata, fs.Blobs, options, fs.Time)
    {
    }

    /// <summary>Test hook: runs after marking has read a directory's entries, before it moves on.</summary>
    internal Func<ObjectId, ValueTask>? DirectoryScanned { get; init; }

    public async Task<CollectionReport> CollectAsync(CancellationToken ct = default)
    {
        var cutoffMs = _time.GetUtcNow().ToUnixTimeMilliseconds() - (long)_options.Grace.TotalMilliseconds;
        var (candidates, kinds, roots, scanned) = await ListObjectsAsync(cutoffMs, ct).ConfigureAwait(false);
        var marked = await MarkAsync(roots, kinds, cutoffMs, ct).ConfigureAwait(false);

        long deleted = 0, entries = 0;
        foreach (var (id, version) in candidates)
        {
            if (!marked.Contains(id))
            {
                var removed = await SweepAsync(id, version, kinds[id], ct).ConfigureAwait(false);
                (deleted, entries) = (deleted + (removed >= 0 ? 1 : 0), entries + Math.Max(removed, 0));
            }
        }

        await DropOldShadesAsync(FsKeys.GrayPrefix, cutoffMs, ct).ConfigureAwait(false);
        var (blobsScanned, blobsDeleted) = await CollectBlobsAsync(cutoffMs, ct).ConfigureAwait(false);
        return new CollectionReport(scanned, marked.Count, deleted, entries, blobsScanned, blobsDeleted);
    }

    private async Task<(List<(ObjectId Id, long Version)> Candidates, Dictionary<ObjectId, ObjectKind> Kinds, List<ObjectId> Roots, long Scanned)> ListObjectsAsync(long cutoffMs, CancellationToken ct)
    {
        var candidates = new List<(ObjectId, long)>();
        var kinds = new Dictionary<ObjectId, ObjectKind>();
        var roots = new List<ObjectId> { ObjectId.Root };
        long scanned = 0;
        await foreach (var (key, value) in metadata.ScanAsync(FsKeys.ObjectPrefix, null, ct).ConfigureAwait(false))
        {
            scanned++;
            var id = new ObjectId(key[FsKeys.ObjectPrefix.Length..]);
            var record = ObjectCodec.Record(value.Value);
            kinds[id] = record.Kind;
            if (record.WrittenMs >= cutoffMs)
            {
                roots.Add(id);
            }
            else if (id != ObjectId.Root)
            {
                candidates.Add((id, value.Version));
            }
        }

        return (candidates, kinds, roots, scanned);
    }

    private async Task<HashSet<ObjectId>> MarkAsync(List<ObjectId> roots, Dictionary<ObjectId, ObjectKind> kinds, long cutoffMs, CancellationToken ct)
    {
        var marked = new HashSet<ObjectId>();
        var pending = new Stack<ObjectId>(roots);
        while (true)
        {
            while (pending.TryPop(out var id))
            {
                if (!marked.Add(id))
                {
                    continue;
                }

                // Objects created after the listing are young and not candidates; their kind comes
                // from the entry that reached them (recorded below) or, failing that, the store.
                var kind = kinds.TryGetValue(id, out var k) ? k : await ReadKindAsync(id, ct).ConfigureAwait(false);
                var prefix = kind switch
                {
                    ObjectKind.Directory => FsKeys.EntryPrefix(id),
                    ObjectKind.FacetedDirectory => FsKeys.FacetPrefix(id),
                    _ => null,
                };
                if (prefix is null)
                {
                    continue;
                }

                await foreach (var (key, value) in metadata.ScanAsync(prefix, null, ct).ConfigureAwait(false))
                {
                    var entry = ObjectCodec.DecodeEntry(key[prefix.Length..], value.Value);
                    kinds.TryAdd(entry.Id, entry.Kind);
                    if (!marked.Contains(entry.Id))
                    {
                        pending.Push(entry.Id);
                    }
                }

                if (DirectoryScanned is { } hook)
                {
                    await hook(id).ConfigureAwait(false);
                }
            }

            // The deletion barrier: whatever lost an entry during this mark (or within the grace
            // period before it) is marked too, until a round finds nothing new.
            await foreach (var (key, value) in metadata.ScanAsync(FsKeys.GrayPrefix, null, ct).ConfigureAwait(false))
            {
                var id = new ObjectId(key[FsKeys.GrayPrefix.Length..]);
                if (FsKeys.DecodeTime(value.Value) >= cutoffMs && !marked.Contains(id))
                {
                    pending.Push(id);
                }
            }

            if (pending.Count == 0)
            {
                return marked;
            }
        }
    }

    private async ValueTask<ObjectKind?> ReadKindAsync(ObjectId id, CancellationToken ct) =>
        await metadata.GetAsync(id.StoreKey, ct).ConfigureAwait(false) is { } v ? ObjectCodec.Record(v.Value).Kind : null;

    // The number of entries or facets removed with the object, or -1 when it was kept.
    private async Task<long> SweepAsync(ObjectId id, long version, ObjectKind kind, CancellationToken ct)
    {
        if (await metadata.GetAsync(id.StoreKey, ct).ConfigureAwait(false) is not { } current || current.Version != version)
        {
            return -1;
        }

        long removed = 0;
        var prefix = kind switch
        {
            ObjectKind.Directory => FsKeys.EntryPrefix(id),
            ObjectKind.FacetedDirectory => FsKeys.FacetPrefix(id),
            _ => null,
        };
        if (prefix is not null)
        {
            // Entries first: a crash between leaves an empty unreachable record, reclaimed next time,
            // never entries without their directory.
            var keys = new List<string>();
            await foreach (var (key, _) in metadata.ScanAsync(prefix, null, ct).ConfigureAwait(false))
            {
                keys.Add(key);
            }

            foreach (var key in keys)
            {
                removed += await metadata.DeleteAsync(key, null, ct).ConfigureAwait(false) ? 1 : 0;
            }
        }

        return await metadata.DeleteAsync(id.StoreKey, version, ct).ConfigureAwait(false) ? removed : -1;
    }

    private async Task DropOldShadesAsync(string prefix, long cutoffMs, CancellationToken ct)
    {
        var old = new List<(string Key, long Version)>();
        await foreach (var (key, value) in metadata.ScanAsync(prefix, null, ct).ConfigureAwait(false))
        {
            if (FsKeys.DecodeTime(value.Value) < cutoffMs)
            {
                old.Add((key, value.Version));
            }
        }

        foreach (var (key, version) in old)
        {
            // A shade renewed meanwhile has a new version and stays.
            await metadata.DeleteAsync(key, version, ct).ConfigureAwait(false);
        }
    }

    private async Task<(long Scanned, long Deleted)> CollectBlobsAsync(long cutoffMs, CancellationToken ct)
    {
        // Listed after the sweep, so what was just deleted no longer holds its blobs.
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var (_, value) in metadata.ScanAsync(FsKeys.ObjectPrefix, null, ct).ConfigureAwait(false))
        {
            var record = ObjectCodec.Record(value.Value);
            if (record is { Kind: ObjectKind.Blob or ObjectKind.Gate, Hash: { } hash })
            {
                referenced.Add(hash);
            }
        }

        await foreach (var (key, value) in metadata.ScanAsync(FsKeys.GrayBlobPrefix, null, ct).ConfigureAwait(false))
        {
            if (FsKeys.DecodeTime(value.Value) >= cutoffMs)
            {
                referenced.Add(key[FsKeys.GrayBlobPrefix.Length..]);
            }
        }

        await DropOldShadesAsync(FsKeys.GrayBlobPrefix, cutoffMs, ct).ConfigureAwait(false);
        var cutoff = DateTimeOffset.FromUnixTimeMilliseconds(cutoffMs);
        var unreferenced = new List<string>();
        long scanned = 0;
        await foreach (var blob in blobs.ListAsync(ct).ConfigureAwait(false))
        {
            scanned++;
            if (!referenced.Contains(blob.Hash) && blob.CommittedAt < cutoff)
            {
                unreferenced.Add(blob.Hash);
            }
        }

        long deleted = 0;
        foreach (var hash in unreferenced)
        {
            deleted += await blobs.DeleteIfCommittedBeforeAsync(hash, cutoff, ct).ConfigureAwait(false) ? 1 : 0;
        }

        return (scanned, deleted);
    }
}

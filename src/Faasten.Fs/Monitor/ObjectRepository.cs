using System.Runtime.CompilerServices;
using Faasten.Fs.Objects;
using Faasten.Fs.Storage;

namespace Faasten.Fs.Monitor;

/// <summary>
/// Typed access to objects, directory entries and facets in the metadata store; knows nothing
/// about labels. Directory and faceted-directory records and stored facets never change once
/// written, so they are cached (<see cref="ImmutableCache{TKey, TValue}"/>). Entries change
/// only by unlink, which advances the store's unlink epoch once it is done, so a path walk reads the
/// epoch once and takes the entries cached under it (<see cref="EntryCache"/>): a warm walk of
/// any depth costs one store read, and another process's unlink is seen by the next walk.
/// Operations that act on an entry (unlink, exists checks) read it from the store.
/// </summary>
internal sealed class ObjectRepository(IMetadataStore store, TimeProvider time)
{
    private readonly ImmutableCache<ObjectId, (FsObject Object, long Version)> _containers = new();
    private readonly ImmutableCache<(ObjectId Faceted, string Facet), ObjectId> _facets = new();
    private readonly EntryCache _entries = new();
    private long _lastEpoch = -1; // the unlink epoch the latest walk read; -1 before any

    /// <summary>The unlink epoch a walk here last read, for a walk that guesses it will not have moved.</summary>
    public bool TryGetLastEpoch(out long epoch)
    {
        epoch = Volatile.Read(ref _lastEpoch);
        return epoch >= 0;
    }

    /// <summary>A directory or faceted-directory record, from the cache only.</summary>
    public bool TryGetCachedContainer(ObjectId id, out (FsObject Object, long Version) container) =>
        _containers.TryGet(id, out container);

    /// <summary>An entry cached under exactly <paramref name="epoch"/>, from the cache only.</summary>
    public bool TryGetCachedEntry(ObjectId dir, string name, long epoch, out DirectoryEntry entry) =>
        _entries.TryGet(dir, name, epoch, NowMs, out entry);

    /// <summary>A stored facet's directory, from the cache only.</summary>
    public bool TryGetCachedFacet(ObjectId faceted, string facet, out ObjectId dir) =>
        _facets.TryGet((faceted, facet), out dir);

    /// <summary>
    /// The unlink epoch now and then the object, in one store call: a warm walk whose guess of
    /// the epoch holds ends in a single round trip instead of two.
    /// </summary>
    public async ValueTask<(long Epoch, (FsObject Object, long Version)? Object)> ReadEpochAndObjectAsync(ObjectId id, CancellationToken ct)
    {
        var values = await store.GetManyAsync([FsKeys.UnlinkEpoch, id.StoreKey], ct).ConfigureAwait(false);
        var epoch = values[0]?.Version ?? 0;
        Volatile.Write(ref _lastEpoch, epoch);
        return (epoch, values[1] is { } v ? Decoded(id, v) : null);
    }

    public IMetadataStore Store => store;

    public long NowMs => time.GetUtcNow().ToUnixTimeMilliseconds();

    public async ValueTask<(FsObject Object, long Version)?> GetAsync(ObjectId id, CancellationToken ct)
    {
        if (_containers.TryGet(id, out var cached))
        {
            return cached;
        }

        return await store.GetAsync(id.StoreKey, ct).ConfigureAwait(false) is { } v ? Decoded(id, v) : null;
    }

    /// <summary>A stored record decoded; a container's is cached, since it never changes.</summary>
    private (FsObject Object, long Version) Decoded(ObjectId id, VersionedValue stored)
    {
        var obj = ObjectCodec.Decode(stored.Value);
        if (obj is FsDirectory or FacetedDirectory)
        {
            _containers.Add(id, (obj, stored.Version));
        }

        return (obj, stored.Version);
    }

    public async ValueTask<ObjectId> CreateAsync(FsObject obj, CancellationToken ct)
    {
        var id = ObjectId.NewId();
        if (!await store.InsertIfAbsentAsync(id.StoreKey, ObjectCodec.Encode(obj, NowMs), ct).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"object id collision on {id}");
        }

        return id;
    }

    public ValueTask<bool> InsertAsync(ObjectId id, FsObject obj, CancellationToken ct) =>
        store.InsertIfAbsentAsync(id.StoreKey, ObjectCodec.Encode(obj, NowMs), ct);

    public ValueTask<long> PutAsync(ObjectId id, FsObject obj, CancellationToken ct) =>
        store.PutAsync(id.StoreKey, ObjectCodec.Encode(obj, NowMs), ct);

    public ValueTask<bool> DeleteAsync(ObjectId id, CancellationToken ct)
    {
        _containers.Remove(id);
        return store.DeleteAsync(id.StoreKey, null, ct);
    }

    public async ValueTask<(DirectoryEntry Entry, long Version)?> GetEntryAsync(ObjectId dir, string name, CancellationToken ct) =>
        await store.GetAsync(FsKeys.Entry(dir, name), ct).ConfigureAwait(false) is { } v
            ? (ObjectCodec.DecodeEntry(name, v.Value), v.Version)
            : null;

    /// <summary>The unlink epoch now; a walk reads it before its first entry.</summary>
    public async ValueTask<long> ReadUnlinkEpochAsync(CancellationToken ct)
    {
        var epoch = (await store.GetAsync(FsKeys.UnlinkEpoch, ct).ConfigureAwait(false))?.Version ?? 0;
        Volatile.Write(ref _lastEpoch, epoch);
        return epoch;
    }

    /// <summary>The entry as a walk that began at <paramref name="epoch"/> may see it: cached under that epoch, else read.</summary>
    public async ValueTask<DirectoryEntry?> GetEntryAsync(ObjectId dir, string name, long epoch, CancellationToken ct)
    {
        if (_entries.TryGet(dir, name, epoch, NowMs, out var cached))
        {
            return cached;
        }

        if (await GetEntryAsync(dir, name, ct).ConfigureAwait(false) is not { Entry: var entry })
        {
            return null;
        }

        _entries.Add(dir, entry, epoch, NowMs);
        return entry;
    }

    public ValueTask<bool> InsertEntryAsync(ObjectId dir, DirectoryEntry entry, CancellationToken ct) =>
        store.InsertIfAbsentAsync(FsKeys.Entry(dir, entry.Name), ObjectCodec.EncodeEntry(entry.Id, entry.Kind), ct);

    /// <summary>
    /// Deletes the entry at the version read, then advances the unlink epoch: once this
    /// returns, a walk in any process reads the new epoch and can no longer take the entry from
    /// a cache. (Advancing first would not do: a walk could read the new epoch, then the entry
    /// still there, and cache it under the new epoch.) A process that dies between the two
    /// writes leaves the entry in other caches until <see cref="EntryCache.MaxAgeMs"/> passes.
    /// </summary>
    public async ValueTask<bool> DeleteEntryAsync(ObjectId dir, string name, long version, CancellationToken ct)
    {
        if (!await store.DeleteAsync(FsKeys.Entry(dir, name), version, ct).ConfigureAwait(false))
        {
            return false;
        }

        await store.PutAsync(FsKeys.UnlinkEpoch, ReadOnlyMemory<byte>.Empty, ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>The directory's entries in name order, after <paramref name="afterName"/> when given.</summary>
    public async IAsyncEnumerable<DirectoryEntry> ScanEntriesAsync(ObjectId dir, string? afterName, [EnumeratorCancellation] CancellationToken ct)
    {
        var prefix = FsKeys.EntryPrefix(dir);
        await foreach (var (key, value) in store.ScanAsync(prefix, afterName is null ? null : prefix + afterName, ct).ConfigureAwait(false))
        {
            yield return ObjectCodec.DecodeEntry(key[prefix.Length..], value.Value);
        }
    }

    /// <summary>A stored facet's directory. Only a facet found is cached: an absent one may be stored any moment.</summary>
    public async ValueTask<ObjectId?> GetFacetAsync(ObjectId faceted, string facet, CancellationToken ct)
    {
        if (_facets.TryGet((faceted, facet), out var cached))
        {
            return cached;
        }

        if (await store.GetAsync(FsKeys.Facet(faceted, facet), ct).ConfigureAwait(false) is not { } v)
        {
            return null;
        }

        var dir = ObjectCodec.DecodeEntry(facet, v.Value).Id;
        _facets.Add((faceted, facet), dir);
        return dir;
    }

    public ValueTask<bool> InsertFacetAsync(ObjectId faceted, string facet, ObjectId dir, CancellationToken ct) =>
        store.InsertIfAbsentAsync(FsKeys.Facet(faceted, facet), ObjectCodec.EncodeEntry(dir, ObjectKind.Directory), ct);

    /// <summary>The stored facets (canonical label text) in key order, after <paramref name="after"/> when given.</summary>
    public async IAsyncEnumerable<string> ScanFacetsAsync(ObjectId faceted, string? after, [EnumeratorCancellation] CancellationToken ct)
    {
        var prefix = FsKeys.FacetPrefix(faceted);
        await foreach (var (key, _) in store.ScanAsync(prefix, after is null ? null : prefix + after, ct).ConfigureAwait(false))
        {
            yield return key[prefix.Length..];
        }
    }

    /// <summary>Marks an object as having lost an entry, for the collector (write it before the entry goes).</summary>
    public async ValueTask ShadeAsync(ObjectId id, CancellationToken ct) =>
        await store.PutAsync(FsKeys.Gray(id), FsKeys.EncodeTime(NowMs), ct).ConfigureAwait(false);

    /// <summary>Marks a blob a gate stopped referencing, for the collector.</summary>
    public async ValueTask ShadeBlobAsync(string hash, CancellationToken ct) =>
        await store.PutAsync(FsKeys.GrayBlob(hash), FsKeys.EncodeTime(NowMs), ct).ConfigureAwait(false);
}

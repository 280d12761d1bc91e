using Faasten.Fs.Objects;
using Faasten.Fs.Storage;

namespace Faasten.Fs.Monitor;

/// <summary>Typed access to objects in the metadata store; knows nothing about labels.</summary>
internal sealed class ObjectRepository(IMetadataStore store)
{
    // Contention on one directory is bounded by the number of writers; this only stops a livelock from hanging forever.
    private const int MaxCasAttempts = 10_000;

    public async ValueTask<(FsObject Object, long Version)?> GetAsync(ObjectId id, CancellationToken ct)
    {
        var stored = await store.GetAsync(id.StoreKey, ct).ConfigureAwait(false);
        return stored is { } v ? (ObjectCodec.Decode(v.Value), v.Version) : null;
    }

    public async ValueTask<ObjectId> CreateAsync(FsObject obj, CancellationToken ct)
    {
        var id = ObjectId.NewId();
        if (!await store.InsertIfAbsentAsync(id.StoreKey, ObjectCodec.Encode(obj), ct).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"object id collision on {id}");
        }

        return id;
    }

    public ValueTask<bool> InsertAsync(ObjectId id, FsObject obj, CancellationToken ct) =>
        store.InsertIfAbsentAsync(id.StoreKey, ObjectCodec.Encode(obj), ct);

    public ValueTask<long> PutAsync(ObjectId id, FsObject obj, CancellationToken ct) =>
        store.PutAsync(id.StoreKey, ObjectCodec.Encode(obj), ct);

    public ValueTask<bool> DeleteAsync(ObjectId id, CancellationToken ct) => store.DeleteAsync(id.StoreKey, null, ct);

    /// <summary>
    /// Read-modify-write with compare-and-swap, retried until no concurrent writer interferes.
    /// <paramref name="update"/> returns the replacement, or null with a result to stop.
    /// </summary>
    public async ValueTask<FsResult> UpdateAsync<T>(ObjectId id, Func<T, (T? Updated, FsResult Result)> update, CancellationToken ct)
        where T : FsObject
    {
        for (var attempt = 0; attempt < MaxCasAttempts; attempt++)
        {
            var current = await GetAsync(id, ct).ConfigureAwait(false);
            if (current is not { Object: T obj, Version: var version })
            {
                return FsResult.Fail(FsStatus.NotFound, $"object {id} is gone");
            }

            var (updated, result) = update(obj);
            if (updated is null)
            {
                return result;
            }

            if (await store.CompareAndSwapAsync(id.StoreKey, version, ObjectCodec.Encode(updated), ct).ConfigureAwait(false))
            {
                return result;
            }
        }

        throw new InvalidOperationException($"gave up updating {id} after {MaxCasAttempts} conflicting attempts");
    }
}

using Faasten.Fs.Objects;

namespace Faasten.Fs.Monitor;

/// <summary>
/// Adds and removes directory entries, each a key of its own: a link is one insert-if-absent,
/// an unlink one delete of the version read, so links of different names never conflict and
/// the directory's record is never rewritten. Label checks happen before these calls, in the monitor.
/// </summary>
internal sealed class DirectoryLinker(ObjectRepository objects)
{
    // An unlink retries only when the entry changed between its read and its delete.
    private const int MaxUnlinkAttempts = 1_000;

    /// <summary>The directory's id, storing an unwritten facet first (rule 5: facets materialize on first write).</summary>
    public async ValueTask<ObjectId> EnsureStoredAsync(Located dir, CancellationToken ct)
    {
        if (dir.Id is { } id)
        {
            return id;
        }

        var owner = dir.FacetOwner ?? throw new InvalidOperationException("an unstored directory must be a facet");
        var key = dir.Facet!.ToString();
        var created = await objects.CreateAsync(FsDirectory.Empty(dir.Facet), ct).ConfigureAwait(false);
        if (await objects.InsertFacetAsync(owner, key, created, ct).ConfigureAwait(false))
        {
            return created;
        }

        // Another writer materialized the same facet first; ours was never reachable.
        await objects.DeleteAsync(created, ct).ConfigureAwait(false);
        return await objects.GetFacetAsync(owner, key, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"facet {key} of {owner} vanished after it was stored");
    }

    public async ValueTask<FsResult> LinkAsync(ObjectId dirId, DirectoryEntry entry, CancellationToken ct) =>
        await objects.InsertEntryAsync(dirId, entry, ct).ConfigureAwait(false)
            ? FsResult.Ok
            : FsResult.Fail(FsStatus.Exists, $"'{entry.Name}' already exists");

    /// <summary>
    /// Removes the entry. The object it named is shaded first (the collector's deletion
    /// barrier): a concurrent collection that has not reached it yet will still keep it, and
    /// with it anything a hard link in flight may be about to link again.
    /// </summary>
    public async ValueTask<FsResult> UnlinkAsync(ObjectId dirId, string name, CancellationToken ct)
    {
        for (var attempt = 0; attempt < MaxUnlinkAttempts; attempt++)
        {
            if (await objects.GetEntryAsync(dirId, name, ct).ConfigureAwait(false) is not { } found)
            {
                return FsResult.Fail(FsStatus.NotFound, $"'{name}' does not exist");
            }

            await objects.ShadeAsync(found.Entry.Id, ct).ConfigureAwait(false);
            if (await objects.DeleteEntryAsync(dirId, name, found.Version, ct).ConfigureAwait(false))
            {
                return FsResult.Ok;
            }
        }

        throw new InvalidOperationException($"gave up unlinking '{name}' after {MaxUnlinkAttempts} conflicting attempts");
    }
}

using Faasten.Fs.Objects;

namespace Faasten.Fs.Monitor;

/// <summary>
/// Adds and removes directory entries with compare-and-swap, so concurrent links into one
/// directory never lose an entry. Label checks happen before these calls, in the monitor.
/// </summary>
internal sealed class DirectoryLinker(ObjectRepository objects)
{
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
        var winner = created;
        var result = await objects.UpdateAsync<FacetedDirectory>(owner, faceted =>
        {
            if (faceted.Facets.TryGetValue(key, out var existing))
            {
                winner = existing;
                return (null, FsResult.Ok);
            }

            winner = created;
            return (faceted with { Facets = faceted.Facets.Add(key, created) }, FsResult.Ok);
        }, ct).ConfigureAwait(false);

        if (!result.IsOk)
        {
            throw new InvalidOperationException($"faceted directory {owner} vanished: {result}");
        }

        if (winner != created)
        {
            // Another writer materialized the same facet first; ours was never reachable.
            await objects.DeleteAsync(created, ct).ConfigureAwait(false);
        }

        return winner;
    }

    public ValueTask<FsResult> LinkAsync(ObjectId dirId, DirectoryEntry entry, CancellationToken ct) =>
        objects.UpdateAsync<FsDirectory>(dirId, dir => dir.Entries.ContainsKey(entry.Name)
            ? (null, FsResult.Fail(FsStatus.Exists, $"'{entry.Name}' already exists"))
            : (dir with { Entries = dir.Entries.Add(entry.Name, entry) }, FsResult.Ok), ct);

    public ValueTask<FsResult> UnlinkAsync(ObjectId dirId, string name, CancellationToken ct) =>
        objects.UpdateAsync<FsDirectory>(dirId, dir => dir.Entries.ContainsKey(name)
            ? (dir with { Entries = dir.Entries.Remove(name) }, FsResult.Ok)
            : (null, FsResult.Fail(FsStatus.NotFound, $"'{name}' does not exist")), ct);
}

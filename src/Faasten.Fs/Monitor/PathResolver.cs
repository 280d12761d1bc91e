using Faasten.Fs.Objects;
using Faasten.Fs.Paths;
using Faasten.Labels;

namespace Faasten.Fs.Monitor;

/// <summary>
/// Walks a path from the root. Every directory whose entries are consulted taints the
/// computation before the lookup, so even "not found" is learned under that label (rule 1).
/// The final object's own label is left to the operation: reading content taints, unlinking does not.
/// A walk reads the unlink epoch once, first, and sees entries as of then (<see cref="EntryCache"/>).
/// </summary>
/// <remarks>
/// A warm walk to a file or gate (whose record may change, so it is never cached) would cost two
/// store round trips, the epoch and then the record. It first tries the caches alone, guessing
/// the epoch has not moved since this process last read it, and then reads the epoch and the
/// record in one call: when the epoch read is the guess, every entry it used is one a walk
/// beginning now would take, and the record is as fresh as that walk's. Only then does the
/// walk taint the context, with the same labels in the same order as the full walk; otherwise
/// the full walk runs under the epoch just read, as if nothing had been tried.
/// </remarks>
internal sealed class PathResolver(ObjectRepository objects)
{
    public const string HomeName = "home";

    public async ValueTask<FsResult<Located>> ResolveAsync(SecurityContext ctx, FsPath path, CancellationToken ct)
    {
        long? epochNow = null;
        if (WalkCached(ctx, path) is { } cached)
        {
            var (epoch, last) = await objects.ReadEpochAndObjectAsync(cached.Last, ct).ConfigureAwait(false);
            epochNow = epoch;
            if (epoch == cached.Epoch)
            {
                foreach (var label in cached.Taints)
                {
                    ctx.Taint(label);
                }

                return last is { } found
                    ? FsResult<Located>.Ok(new Located(cached.Last, found.Object, Version: found.Version))
                    : FsResult.Fail(FsStatus.NotFound, $"'{cached.LastName}' does not exist");
            }
        }

        return await WalkAsync(ctx, path, epochNow, ct).ConfigureAwait(false);
    }

    /// <param name="epoch">The unlink epoch, when just read.</param>
    private async ValueTask<FsResult<Located>> WalkAsync(SecurityContext ctx, FsPath path, long? epoch, CancellationToken ct)
    {
        var root = await objects.GetAsync(ObjectId.Root, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException("the file system has not been bootstrapped");
        var current = new Located(ObjectId.Root, root.Object, Version: root.Version);
        var walkEpoch = epoch ?? await objects.ReadUnlinkEpochAsync(ct).ConfigureAwait(false);
        foreach (var component in Expand(ctx, path))
        {
            var next = await StepAsync(ctx, current, component, walkEpoch, ct).ConfigureAwait(false);
            if (!next.IsOk)
            {
                return next;
            }

            current = next.Value;
        }

        return FsResult<Located>.Ok(current);
    }

    /// <summary>
    /// The full walk, from the caches alone, under the last epoch read, changing nothing: the labels
    /// it would taint with, and the last entry's object, which is not cached. Null when any step
    /// would need the store, fail, or end on a cached directory (then the full walk reads only the epoch).
    /// </summary>
    private CachedWalk? WalkCached(SecurityContext ctx, FsPath path)
    {
        if (!objects.TryGetLastEpoch(out var epoch) || !objects.TryGetCachedContainer(ObjectId.Root, out var root))
        {
            return null;
        }

        var label = ctx.Label;
        var taints = new List<Label>(4);
        var (id, current) = (ObjectId.Root, root.Object);
        using var components = Expand(ctx, path).GetEnumerator();
        var more = components.MoveNext();
        while (more)
        {
            var component = components.Current;
            more = components.MoveNext();
            switch (current)
            {
                case FsDirectory dir when component.Kind == PathComponentKind.Name:
                    taints.Add(dir.Label);
                    try
                    {
                        label = label.Lub(dir.Label);
                    }
                    catch (LabelTooLargeException)
                    {
                        return null; // the full walk fails closed the same way
                    }

                    if (!objects.TryGetCachedEntry(id, component.Name!, epoch, out var entry))
                    {
                        return null;
                    }

                    if (objects.TryGetCachedContainer(entry.Id, out var child))
                    {
                        (id, current) = (entry.Id, child.Object);
                        continue;
                    }

                    return more ? null : new CachedWalk(epoch, taints, entry.Id, component.Name!);

                case FacetedDirectory when component.Kind != PathComponentKind.Name:
                    var facet = (component.Kind == PathComponentKind.CurrentFacet ? label : component.Facet!).ToString();
                    if (!FsKeys.IsStorableFacet(facet)
                        || !objects.TryGetCachedFacet(id, facet, out var facetId)
                        || !objects.TryGetCachedContainer(facetId, out var stored))
                    {
                        return null;
                    }

                    (id, current) = (facetId, stored.Object);
                    continue;

                default:
                    return null;
            }
        }

        return null;
    }

    /// <param name="Last">The object the last entry names, to be read with the epoch.</param>
    private sealed record CachedWalk(long Epoch, List<Label> Taints, ObjectId Last, string LastName);

    private static IEnumerable<PathComponent> Expand(SecurityContext ctx, FsPath path)
    {
        foreach (var component in path.Components)
        {
            if (component.Kind == PathComponentKind.Home)
            {
                yield return PathComponent.ForName(HomeName);
                yield return PathComponent.ForFacet(new Label(ctx.Privilege, ctx.Privilege));
            }
            else
            {
                yield return component;
            }
        }
    }

    private async ValueTask<FsResult<Located>> StepAsync(SecurityContext ctx, Located current, PathComponent component, long epoch, CancellationToken ct)
    {
        switch (current.Object)
        {
            case FsDirectory dir:
                ctx.Taint(dir.Label);
                if (component.Kind != PathComponentKind.Name)
                {
                    return FsResult.Fail(FsStatus.NotADirectory, $"'{component}' selects a facet, but its parent is a plain directory");
                }

                if (current.Id is not { } dirId
                    || await objects.GetEntryAsync(dirId, component.Name!, epoch, ct).ConfigureAwait(false) is not { } entry)
                {
                    return FsResult.Fail(FsStatus.NotFound, $"'{component.Name}' does not exist");
                }

                var child = await objects.GetAsync(entry.Id, ct).ConfigureAwait(false);
                return child is { } c
                    ? FsResult<Located>.Ok(new Located(entry.Id, c.Object, Version: c.Version))
                    : FsResult.Fail(FsStatus.NotFound, $"'{component.Name}' does not exist");

            case FacetedDirectory:
                if (component.Kind == PathComponentKind.Name)
                {
                    return FsResult.Fail(FsStatus.NotADirectory, $"'{component.Name}' is a name, but its parent is a faceted directory: select a facet with <label> or %");
                }

                var facet = component.Kind == PathComponentKind.CurrentFacet ? ctx.Label : component.Facet!;
                var facetKey = facet.ToString();
                if (FsKeys.IsStorableFacet(facetKey)
                    && await objects.GetFacetAsync(current.Id!.Value, facetKey, ct).ConfigureAwait(false) is { } facetId
                    && await objects.GetAsync(facetId, ct).ConfigureAwait(false) is { } stored)
                {
                    return FsResult<Located>.Ok(new Located(facetId, stored.Object, Version: stored.Version));
                }

                // Rule 5: an unwritten facet reads as an empty directory with that label.
                return FsResult<Located>.Ok(new Located(null, FsDirectory.Empty(facet), current.Id, facet));

            default:
                return FsResult.Fail(FsStatus.NotADirectory, $"cannot look up '{component}' in a {current.Object.Kind}");
        }
    }
}

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
internal sealed class PathResolver(ObjectRepository objects)
{
    public const string HomeName = "home";

    public async ValueTask<FsResult<Located>> ResolveAsync(SecurityContext ctx, FsPath path, CancellationToken ct)
    {
        var root = await objects.GetAsync(ObjectId.Root, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException("the file system has not been bootstrapped");
        var current = new Located(ObjectId.Root, root.Object, Version: root.Version);
        var epoch = await objects.ReadUnlinkEpochAsync(ct).ConfigureAwait(false);
        foreach (var component in Expand(ctx, path))
        {
            var next = await StepAsync(ctx, current, component, epoch, ct).ConfigureAwait(false);
            if (!next.IsOk)
            {
                return next;
            }

            current = next.Value;
        }

        return FsResult<Located>.Ok(current);
    }

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

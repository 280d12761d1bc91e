using System.Collections.Immutable;
using Faasten.Labels;

namespace Faasten.Fs.Objects;

/// <summary>
/// Unlabeled; maps each materialized facet (by canonical label text) to its directory.
/// Facets that were never written are not stored but still "exist" (DESIGN §3 rule 5).
/// </summary>
public sealed record FacetedDirectory(ImmutableSortedDictionary<string, ObjectId> Facets) : FsObject
{
    public static readonly FacetedDirectory Empty = new(ImmutableSortedDictionary.Create<string, ObjectId>(StringComparer.Ordinal));

    public override ObjectKind Kind => ObjectKind.FacetedDirectory;

    public override Label? Label => null;
}

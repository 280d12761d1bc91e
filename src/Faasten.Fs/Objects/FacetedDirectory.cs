using Faasten.Labels;

namespace Faasten.Fs.Objects;

/// <summary>
/// Unlabeled; each materialized facet is a key of its own (<see cref="FsKeys.Facet"/>, by
/// canonical label text) naming its directory. Facets that were never written are not stored
/// but still "exist" (DESIGN §3 rule 5).
/// </summary>
public sealed record FacetedDirectory : FsObject
{
    public static readonly FacetedDirectory Empty = new();

    public override ObjectKind Kind => ObjectKind.FacetedDirectory;

    public override Label? Label => null;
}

using Faasten.Labels;

namespace Faasten.Fs;

/// <summary>One page of a faceted listing; <see cref="Next"/> is the facet to continue after, null on the last page.</summary>
public sealed record FacetPage(IReadOnlyList<Label> Facets, string? Next);

namespace Faasten.Cli.Http;

/// <summary>A page of facets; <see cref="Next"/> is the cursor of the next page, null on the last.</summary>
internal sealed record FacetsResponse(IReadOnlyList<string> Facets, string? Next = null);

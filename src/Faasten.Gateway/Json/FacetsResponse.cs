namespace Faasten.Gateway.Json;

/// <summary>A page of facets; <see cref="Next"/>, when present, is the cursor of the next page.</summary>
internal sealed record FacetsResponse(IReadOnlyList<string> Facets, string? Next);

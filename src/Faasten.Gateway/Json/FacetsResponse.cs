namespace Faasten.Gateway.Json;

internal sealed record FacetsResponse(IReadOnlyList<string> Facets);

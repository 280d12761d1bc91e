namespace Faasten.Cli.Http;

internal sealed record FacetsResponse(IReadOnlyList<string> Facets);

namespace Faasten.Gateway.Json;

/// <summary>GET /fs/stat; a faceted directory has no label.</summary>
internal sealed record StatResponse(string Kind, string? Label);

namespace Faasten.Gateway.Json;

internal sealed record EntryResponse(string Name, string Kind);

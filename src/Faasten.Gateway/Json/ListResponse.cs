namespace Faasten.Gateway.Json;

internal sealed record ListResponse(IReadOnlyList<EntryResponse> Entries);

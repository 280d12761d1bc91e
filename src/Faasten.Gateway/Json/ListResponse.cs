namespace Faasten.Gateway.Json;

/// <summary>A page of entries; <see cref="Next"/>, when present, is the cursor of the next page.</summary>
internal sealed record ListResponse(IReadOnlyList<EntryResponse> Entries, string? Next);

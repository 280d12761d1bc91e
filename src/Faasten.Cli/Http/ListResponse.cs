namespace Faasten.Cli.Http;

/// <summary>A page of entries; <see cref="Next"/> is the cursor of the next page, null on the last.</summary>
internal sealed record ListResponse(IReadOnlyList<DirectoryEntry> Entries, string? Next = null);

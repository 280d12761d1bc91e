namespace Faasten.Cli.Http;

internal sealed record ListResponse(IReadOnlyList<DirectoryEntry> Entries);

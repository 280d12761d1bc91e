namespace Faasten.Cli.Http;

internal sealed record DirectoryEntry(string Name, string Kind);

namespace Faasten.Cli.Commands;

internal sealed record LsOptions(string Path, bool Long, string? Clearance);

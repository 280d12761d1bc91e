namespace Faasten.Cli.Commands;

internal sealed record RegisterOptions(
    string Directory,
    string Path,
    string Privilege,
    string Clearance,
    int? Memory,
    string? Label);

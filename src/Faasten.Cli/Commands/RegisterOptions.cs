namespace Faasten.Cli.Commands;

internal sealed record RegisterOptions(
    string Directory,
    string Path,
    string Privilege,
    string Clearance,
    int? Memory,
    string? Label)
{
    public string? Declassify { get; init; }

    public double? TimeoutSeconds { get; init; }

    public string? Runtime { get; init; }

    public IReadOnlyList<string> Env { get; init; } = [];
}

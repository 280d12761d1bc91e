namespace Faasten.Cli.Commands;

/// <summary>One line of <c>fstn ls</c>; the label only with <c>-l</c>.</summary>
internal sealed record LsRow(string Kind, string Name, string? Label);

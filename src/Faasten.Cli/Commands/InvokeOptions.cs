namespace Faasten.Cli.Commands;

internal sealed record InvokeOptions(string Path, string? Payload, string? Label, bool Async, bool Logs = false);

namespace Faasten.Cli.Commands;

internal sealed record InvocationsOptions(string? Id, string? Gate, int? Limit, string? Cursor, bool Trail);

namespace Faasten.Cli.Http;

/// <summary>Every error body of the API: <c>{"error": "...", "code": "..."}</c>.</summary>
internal sealed record ErrorResponse(string? Error, string? Code);

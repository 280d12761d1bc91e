namespace Faasten.Cli.Http;

/// <summary><c>GET /fs/stat</c>: the object's kind (<c>directory</c>, <c>file</c>, <c>blob</c>, <c>faceted</c>, <c>gate</c>, ...) and label.</summary>
internal sealed record StatResponse(string Kind, string? Label);

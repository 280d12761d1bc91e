namespace Faasten.Cli.Http;

/// <summary>The body of <c>POST /fs/trigger</c>.</summary>
internal sealed record TriggerRequest(string Path, string Secret, string Gate, string Privilege, string PayloadLabel, string? Label);

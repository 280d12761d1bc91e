namespace Faasten.Gateway.Json;

internal sealed record TriggerBody(string? Path, string? Secret, string? Gate, string? Privilege, string? PayloadLabel, string? Label);

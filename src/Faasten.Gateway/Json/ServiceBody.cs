namespace Faasten.Gateway.Json;

internal sealed record ServiceBody(
    string? Path,
    string? Url,
    string? Verb,
    Dictionary<string, string>? Headers,
    string? Taint,
    string? Privilege,
    string? Clearance,
    string? Label);

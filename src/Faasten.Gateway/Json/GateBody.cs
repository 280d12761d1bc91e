namespace Faasten.Gateway.Json;

/// <summary>POST and PUT /gates. Memory in MB, timeout in milliseconds; the label applies on creation only.</summary>
internal sealed record GateBody(
    string? Path,
    string? Blob,
    string? Privilege,
    string? Clearance,
    string? Declassify,
    int? Memory,
    string? Runtime,
    int? Timeout,
    Dictionary<string, string>? Env,
    string? Label);

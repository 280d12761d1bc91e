namespace Faasten.Gateway.Json;

/// <summary>
/// GET /gates: what the caller may read of a gate, released under the gate's label. A redirect
/// gate has a <c>target</c> and no function fields; a gate has no target.
/// </summary>
internal sealed record GateResponse(
    string Path,
    string Kind,
    string Label,
    string Privilege,
    string Clearance,
    string Declassify,
    string? Target,
    string? Image,
    string? Runtime,
    int? Memory,
    int? Timeout,
    Dictionary<string, string>? Env);

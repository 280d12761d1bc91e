namespace Faasten.Cli.Http;

/// <summary>The body of <c>POST /gates</c> and <c>PUT /gates</c>; <c>blob</c> is the image blob entry's path, <c>timeout</c> in milliseconds.</summary>
internal sealed record GateRequest(
    string Path,
    string Blob,
    string Privilege,
    string Clearance,
    int? Memory,
    string? Runtime,
    string? Label,
    string? Declassify = null,
    int? Timeout = null,
    Dictionary<string, string>? Env = null);

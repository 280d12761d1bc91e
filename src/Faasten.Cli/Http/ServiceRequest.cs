namespace Faasten.Cli.Http;

/// <summary>The body of <c>POST /fs/service</c> and <c>PUT /fs/service</c>.</summary>
internal sealed record ServiceRequest(
    string Path,
    string Url,
    string? Verb,
    Dictionary<string, string>? Headers,
    string Taint,
    string Privilege,
    string Clearance,
    string? Label);

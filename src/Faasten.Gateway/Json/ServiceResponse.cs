namespace Faasten.Gateway.Json;

/// <summary>
/// GET /fs/service, released under the service's label. Header values are not shown, only
/// their names: they may hold the creator's credentials for the endpoint, which functions use
/// through the service without ever reading them.
/// </summary>
internal sealed record ServiceResponse(
    string Path,
    string Label,
    string Url,
    string Verb,
    string[] Headers,
    string Taint,
    string Privilege,
    string Clearance);

namespace Faasten.Gateway.Json;

internal sealed record StatusResponse(string Status);

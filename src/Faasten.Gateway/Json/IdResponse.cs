namespace Faasten.Gateway.Json;

internal sealed record IdResponse(string Id);

namespace Faasten.Gateway.Json;

internal sealed record PathResponse(string Path);

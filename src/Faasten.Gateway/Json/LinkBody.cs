namespace Faasten.Gateway.Json;

internal sealed record LinkBody(string? Source, string? Destination);

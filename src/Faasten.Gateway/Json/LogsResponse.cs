namespace Faasten.Gateway.Json;

internal sealed record LogsResponse(string Id, string Logs, bool Truncated, string Label);

namespace Faasten.Gateway.Json;

internal sealed record LoginRequest(string? User, string? Password);

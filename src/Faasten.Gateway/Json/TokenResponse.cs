namespace Faasten.Gateway.Json;

internal sealed record TokenResponse(string Token, string Privilege, DateTimeOffset Expires);

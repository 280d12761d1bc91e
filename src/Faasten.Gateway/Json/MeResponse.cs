namespace Faasten.Gateway.Json;

/// <summary>GET /auth/me; user and expiry are null when anonymous.</summary>
internal sealed record MeResponse(string? User, string Privilege, DateTimeOffset? Expires);

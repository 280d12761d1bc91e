using System.Text.Json;

namespace Faasten.Cli.Http;

/// <summary><c>GET /auth/me</c>; <c>user</c> is null when the request is anonymous.</summary>
internal sealed record IdentityResponse(string? User, string? Privilege, JsonElement? Expires);

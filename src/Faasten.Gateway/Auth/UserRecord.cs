namespace Faasten.Gateway.Auth;

/// <summary>A stored user: the name (also the principal) and the password hash, never the password.</summary>
internal sealed record UserRecord(string Name, string PasswordHash);

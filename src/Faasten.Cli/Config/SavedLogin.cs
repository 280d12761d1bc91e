namespace Faasten.Cli.Config;

/// <summary>One server's login as stored in the credentials file.</summary>
internal sealed record SavedLogin(string Token, string? User, string? Privilege, string? Expires);

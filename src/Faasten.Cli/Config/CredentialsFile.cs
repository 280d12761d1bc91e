namespace Faasten.Cli.Config;

/// <summary>
/// The credentials file: one login per server, and the server last logged in to. Tokens are
/// keyed by server so a token is never sent to a server it was not issued by.
/// </summary>
internal sealed record CredentialsFile
{
    public string? Server { get; init; }

    public Dictionary<string, SavedLogin> Logins { get; init; } = new(StringComparer.Ordinal);
}

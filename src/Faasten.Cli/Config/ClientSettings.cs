namespace Faasten.Cli.Config;

/// <summary>
/// Where requests go and with which token: <c>FSTN_SERVER</c> and <c>FSTN_TOKEN</c> override
/// the credentials file, which overrides the default server.
/// </summary>
internal sealed record ClientSettings(Uri Server, string? Token, bool TokenFromEnvironment)
{
    /// <summary>Resolves the settings, or returns an error line when <c>FSTN_SERVER</c> is malformed.</summary>
    public static ClientSettings? Resolve(CliEnvironment environment, CredentialsFile saved, out string? error)
    {
        error = null;
        var serverText = environment.Get(CliEnvironment.ServerVariable) ?? saved.Server ?? CliEnvironment.DefaultServer;
        if (!ServerAddress.TryParse(serverText, out var server))
        {
            error = $"{CliEnvironment.ServerVariable} is not an http(s) address: '{serverText}'";
            return null;
        }
        var token = environment.Get(CliEnvironment.TokenVariable);
        if (token is not null)
        {
            return new ClientSettings(server, token, TokenFromEnvironment: true);
        }
        saved.Logins.TryGetValue(ServerAddress.Key(server), out var login);
        return new ClientSettings(server, login?.Token, TokenFromEnvironment: false);
    }
}

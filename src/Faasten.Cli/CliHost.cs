using System.CommandLine;
using Faasten.Cli.Config;
using Faasten.Cli.Http;

namespace Faasten.Cli;

/// <summary>
/// The process's surroundings (terminal and environment). Commands capture it when the tree
/// is built; tests build the tree around a captured console and a private environment.
/// </summary>
internal sealed class CliHost(CliConsole console, CliEnvironment environment)
{
    public CliConsole Console => console;

    public CliEnvironment Environment => environment;

    public CredentialStore Credentials => new(environment.ConfigDirectory());

    /// <summary>
    /// Resolves the server and token, runs <paramref name="handler"/> with a client, and
    /// returns its exit code. <paramref name="anonymous"/> sends no token (login must not
    /// present a stale one: the server rejects expired tokens rather than ignoring them).
    /// </summary>
    public async Task<int> RunAsync(ParseResult parseResult, Func<CliSession, Task<ExitCode>> handler, bool anonymous = false)
    {
        var json = parseResult.GetValue(GlobalOptions.Json);
        var settings = ClientSettings.Resolve(environment, Credentials.Load(console.Error), out var error);
        if (settings is null)
        {
            return (int)ApiError.BadInput(error!, "bad_config").Report(console, json);
        }
        var token = anonymous ? null : settings.Token;
        var hint = token is null ? null
            : settings.TokenFromEnvironment ? $"check {CliEnvironment.TokenVariable}"
            : "run 'fstn login'";
        using var client = new FaastenClient(settings.Server, token, hint);
        return (int)await handler(new CliSession(console, client, json));
    }
}

using System.CommandLine;
using System.Text.Json.Nodes;
using Faasten.Cli.Config;
using Faasten.Cli.Http;
using Faasten.Cli.Output;

namespace Faasten.Cli.Commands;

/// <summary><c>fstn login [--user NAME]</c>: exchanges a password for a token and saves it (0600).</summary>
internal static class LoginCommand
{
    private static readonly Option<string?> UserOption = new("--user", "-u")
    {
        Description = "The user name (prompted for when stdin is a terminal).",
    };

    public static Command Create(CliHost host)
    {
        var command = new Command(
            "login",
            "Log in and save a token for this server. The password is read from stdin when it is not a terminal, else prompted for without echo.")
        {
            UserOption,
        };
        command.SetAction((parseResult, cancellationToken) => host.RunAsync(
            parseResult,
            session => RunAsync(session, host.Credentials, parseResult.GetValue(UserOption), host.Environment.Get(CliEnvironment.TokenVariable) is not null, cancellationToken),
            anonymous: true));
        return command;
    }

    public static async Task<ExitCode> RunAsync(
        CliSession session, CredentialStore credentials, string? user, bool tokenOverridden, CancellationToken cancellationToken)
    {
        var console = session.Console;
        if (string.IsNullOrWhiteSpace(user))
        {
            if (console.IsInputRedirected)
            {
                return session.Report(ApiError.BadInput("--user is required when stdin is not a terminal", "usage"));
            }
            user = console.ReadLine("User: ")?.Trim();
            if (string.IsNullOrEmpty(user))
            {
                return session.Report(ApiError.BadInput("no user name given", "usage"));
            }
        }

        var password = console.IsInputRedirected
            ? await console.ReadStdinLineAsync(cancellationToken)
            : console.ReadSecret($"Password for {user}: ");
        if (string.IsNullOrEmpty(password))
        {
            return session.Report(ApiError.BadInput("no password given (it is read from the first line of stdin)", "usage"));
        }

        var result = await session.Client.LoginAsync(user, password, cancellationToken);
        if (!result.IsSuccess)
        {
            return session.Report(result.Error);
        }

        var login = result.Value;
        var expires = Expiry.Format(login.Expires);
        var server = ServerAddress.Key(session.Client.Server);
        try
        {
            var saved = credentials.Load(console.Error);
            saved.Logins[server] = new SavedLogin(login.Token, user, login.Privilege, expires);
            credentials.Save(saved with { Server = server });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return session.Report(new ApiError($"cannot save the token to {credentials.FilePath}: {e.Message}", "config", ExitCode.Failed));
        }

        if (session.Json)
        {
            console.Out.WriteLine(new JsonObject
            {
                ["server"] = server,
                ["user"] = user,
                ["privilege"] = login.Privilege,
                ["expires"] = expires,
            }.ToJsonString(JsonOutput.Compact));
        }
        else
        {
            console.Out.WriteLine($"Logged in to {server} as {user} (privilege {login.Privilege}); token saved in {credentials.FilePath}.");
        }
        if (tokenOverridden)
        {
            console.Error.WriteLine($"fstn: note: {CliEnvironment.TokenVariable} is set and takes precedence over the saved token");
        }
        return ExitCode.Success;
    }
}

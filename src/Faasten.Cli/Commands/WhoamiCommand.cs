using System.CommandLine;
using System.Text.Json.Nodes;
using Faasten.Cli.Config;
using Faasten.Cli.Output;

namespace Faasten.Cli.Commands;

/// <summary><c>fstn whoami</c>: the user and privilege the server sees, and when the token expires.</summary>
internal static class WhoamiCommand
{
    public static Command Create(CliHost host)
    {
        var command = new Command("whoami", "Show the user and privilege the server sees for this token.");
        command.SetAction((parseResult, cancellationToken) => host.RunAsync(parseResult, session => RunAsync(session, cancellationToken)));
        return command;
    }

    public static async Task<ExitCode> RunAsync(CliSession session, CancellationToken cancellationToken)
    {
        var result = await session.Client.WhoAmIAsync(cancellationToken);
        if (!result.IsSuccess)
        {
            return session.Report(result.Error);
        }

        var me = result.Value;
        var server = ServerAddress.Key(session.Client.Server);
        var expires = Expiry.Format(me.Expires);
        if (session.Json)
        {
            session.Console.Out.WriteLine(new JsonObject
            {
                ["server"] = server,
                ["user"] = me.User,
                ["privilege"] = me.Privilege,
                ["expires"] = expires,
            }.ToJsonString(JsonOutput.Compact));
            return ExitCode.Success;
        }

        var who = me.User is null ? "anonymous" : me.User;
        var until = expires is null ? string.Empty : $", token expires {expires}";
        session.Console.Out.WriteLine($"{who} (privilege {me.Privilege}) at {server}{until}");
        return ExitCode.Success;
    }
}

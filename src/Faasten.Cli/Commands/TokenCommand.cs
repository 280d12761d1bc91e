using System.CommandLine;
using System.Text.Json.Nodes;
using Faasten.Cli.Http;
using Faasten.Cli.Output;

namespace Faasten.Cli.Commands;

/// <summary>
/// <c>fstn token PRIVILEGE [--ttl S]</c>: a token for a sub-privilege of the caller's (POST
/// /auth/delegate), printed alone so that <c>FSTN_TOKEN=$(fstn token alice/ci)</c> works.
/// </summary>
internal static class TokenCommand
{
    private static readonly Argument<string> PrivilegeArgument = new("privilege")
    {
        Description = "The privilege to delegate, e.g. 'alice/ci'. Your privilege must imply it.",
    };

    private static readonly Option<long?> TtlOption = new("--ttl")
    {
        Description = "Lifetime in seconds (default: the server's, 1 hour; never longer than your own token's).",
    };

    public static Command Create(CliHost host)
    {
        var command = new Command("token", "Print a token for a sub-privilege of yours (delegation).") { PrivilegeArgument, TtlOption };
        command.SetAction((parseResult, cancellationToken) => host.RunAsync(parseResult, async session =>
        {
            var privilege = parseResult.GetRequiredValue(PrivilegeArgument);
            var ttl = parseResult.GetValue(TtlOption);
            if (LabelSyntax.CheckComponent("privilege", privilege) is { } bad)
            {
                return session.Report(bad);
            }
            if (ttl is <= 0)
            {
                return session.Report(ApiError.BadInput("--ttl must be a positive number of seconds", "usage"));
            }
            var result = await session.Client.DelegateAsync(new DelegateRequest(privilege, ttl), cancellationToken);
            if (!result.IsSuccess)
            {
                return session.Report(result.Error);
            }
            var token = result.Value;
            session.Console.Out.WriteLine(session.Json
                ? new JsonObject { ["token"] = token.Token, ["privilege"] = token.Privilege, ["expires"] = Expiry.Format(token.Expires) }.ToJsonString(JsonOutput.Compact)
                : token.Token);
            return ExitCode.Success;
        }));
        return command;
    }
}

using System.CommandLine;
using Faasten.Gateway.Admin;
using Faasten.Hosting;
using Faasten.Hosting.Cluster;

namespace Faasten.Host.Commands;

/// <summary>
/// <c>faasten admin token NAME [--privilege P] [--ttl SECONDS] [--data DIR | --config FILE]</c>: prints a bearer
/// token (alone on stdout, for <c>FSTN_TOKEN=$(...)</c>) signed with the server's key (on a cluster, the key file its gateways share).
/// </summary>
internal static class AdminTokenCommand
{
    private static readonly Argument<string> NameArgument = new("name") { Description = "An existing user." };

    private static readonly Option<string> PrivilegeOption = new("--privilege")
    {
        Description = "The token's privilege (a component, default the user's principal). The operator may name any privilege.",
    };

    private static readonly Option<long?> TtlOption = new("--ttl") { Description = "Lifetime in seconds (default 3600)." };

    public static Command Create()
    {
        var command = new Command("token", "Print a bearer token for a user.")
        {
            NameArgument,
            PrivilegeOption,
            TtlOption,
            AdminCommand.DataOption,
            AdminTarget.ConfigOption,
        };
        command.SetAction(async (parseResult, ct) => (int)await AdminCommand.OnTargetAsync(parseResult, "token", target => RunAsync(
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            parseResult.GetRequiredValue(NameArgument),
            parseResult.GetValue(PrivilegeOption),
            parseResult.GetValue(TtlOption),
            target,
            ct)));
        return command;
    }

    public static async Task<AdminExitCode> RunAsync(TextWriter output, TextWriter error, string name, string? privilege, long? ttl, AdminTarget target, CancellationToken ct)
    {
        var result = target.Cluster is { } cluster
            ? await ClusterAdmin.IssueTokenAsync(cluster, name, privilege, ttl, ct)
            : await EmbeddedAdmin.IssueTokenAsync(target.DataDirectory, name, privilege, ttl, signingKeyFile: target.SigningKeyFile, ct: ct);
        if (!result.IsOk)
        {
            await error.WriteLineAsync($"faasten admin token: {result.Message}");
            return AdminCommand.ToExitCode(result.Status);
        }

        await output.WriteLineAsync(result.Token);
        await error.WriteLineAsync(result.Message);
        return AdminExitCode.Success;
    }
}

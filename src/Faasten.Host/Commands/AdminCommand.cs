using System.CommandLine;
using Faasten.Gateway.Admin;

namespace Faasten.Host.Commands;

/// <summary><c>faasten admin ...</c>: operator tasks on a data directory or, with <c>--config</c>, a cluster's stores; safe while the servers run.</summary>
internal static class AdminCommand
{
    internal static readonly Option<string> DataOption = new("--data")
    {
        Description = "Data directory of the server (default ./faasten-data).",
        DefaultValueFactory = _ => "faasten-data",
    };

    public static Command Create() => new("admin", "Operator tasks: add users, mint tokens, collect garbage.")
    {
        AdminUserAddCommand.Create(),
        AdminTokenCommand.Create(),
        AdminGcCommand.Create(),
    };

    /// <summary>Runs <paramref name="act"/> on the target the command line names, turning an unreachable store into a message and <see cref="AdminExitCode.Unavailable"/>.</summary>
    internal static async Task<AdminExitCode> OnTargetAsync(ParseResult parseResult, string command, Func<AdminTarget, Task<AdminExitCode>> act)
    {
        var error = parseResult.InvocationConfiguration.Error;
        if (await AdminTarget.ResolveAsync(parseResult, error, command) is not { } target)
        {
            return AdminExitCode.BadInput;
        }

        try
        {
            return await act(target);
        }
        catch (Exception e) when (AdminTarget.IsUnavailable(e))
        {
            await error.WriteLineAsync($"faasten admin {command}: a store is unavailable: {e.GetType().Name}: {e.Message}");
            return AdminExitCode.Unavailable;
        }
    }

    internal static AdminExitCode ToExitCode(AdminStatus status) => status switch
    {
        AdminStatus.Ok => AdminExitCode.Success,
        AdminStatus.Exists or AdminStatus.NotFound => AdminExitCode.Conflict,
        _ => AdminExitCode.BadInput,
    };
}

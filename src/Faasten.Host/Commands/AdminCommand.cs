using System.CommandLine;
using Faasten.Gateway.Admin;

namespace Faasten.Host.Commands;

/// <summary><c>faasten admin ...</c>: operator tasks on a data directory, safe while the server runs.</summary>
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

    internal static AdminExitCode ToExitCode(AdminStatus status) => status switch
    {
        AdminStatus.Ok => AdminExitCode.Success,
        AdminStatus.Exists or AdminStatus.NotFound => AdminExitCode.Conflict,
        _ => AdminExitCode.BadInput,
    };
}

using System.CommandLine;
using Faasten.Gateway.Admin;
using Faasten.Hosting;
using Faasten.Hosting.Cluster;

namespace Faasten.Host.Commands;

/// <summary>
/// <c>faasten admin gc [--grace SECONDS] [--data DIR | --config FILE]</c>: reclaims objects no path reaches and
/// blobs nothing references, keeping whatever was written, committed or unlinked within the
/// grace period. Safe while the server runs; the server also collects in the background.
/// </summary>
internal static class AdminGcCommand
{
    private static readonly Option<long> GraceOption = new("--grace")
    {
        Description = "Keep what changed within this many seconds (default 3600). It must exceed the longest upload and invocation.",
        DefaultValueFactory = _ => 3600,
    };

    public static Command Create()
    {
        var command = new Command("gc", "Collect garbage: unreachable objects and unreferenced blobs.")
        {
            GraceOption,
            AdminCommand.DataOption,
            AdminTarget.ConfigOption,
        };
        command.SetAction(async (parseResult, ct) => (int)await AdminCommand.OnTargetAsync(parseResult, "gc", target => RunAsync(
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            parseResult.GetValue(GraceOption),
            target,
            ct)));
        return command;
    }

    public static async Task<AdminExitCode> RunAsync(TextWriter output, TextWriter error, long graceSeconds, AdminTarget target, CancellationToken ct)
    {
        if (graceSeconds is < 0 or > 365L * 24 * 3600)
        {
            await error.WriteLineAsync("faasten admin gc: --grace must be 0 to 31536000 seconds");
            return AdminExitCode.BadInput;
        }

        var grace = TimeSpan.FromSeconds(graceSeconds);
        var (result, _) = target.Cluster is { } cluster
            ? await ClusterAdmin.CollectGarbageAsync(cluster, grace, ct)
            : await EmbeddedAdmin.CollectGarbageAsync(target.DataDirectory, grace, ct);
        await (result.IsOk ? output : error).WriteLineAsync(result.IsOk ? result.Message : $"faasten admin gc: {result.Message}");
        return AdminCommand.ToExitCode(result.Status);
    }
}

using System.CommandLine;
using Faasten.Gateway.Admin;
using Faasten.Hosting;

namespace Faasten.Host.Commands;

/// <summary>
/// <c>faasten admin gc [--grace SECONDS] [--data DIR]</c>: reclaims objects no path reaches and
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
        };
        command.SetAction(async (parseResult, ct) => (int)await RunAsync(
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            parseResult.GetValue(GraceOption),
            parseResult.GetRequiredValue(AdminCommand.DataOption),
            ct));
        return command;
    }

    public static async Task<AdminExitCode> RunAsync(TextWriter output, TextWriter error, long graceSeconds, string data, CancellationToken ct)
    {
        if (graceSeconds is < 0 or > 365L * 24 * 3600)
        {
            await error.WriteLineAsync("faasten admin gc: --grace must be 0 to 31536000 seconds");
            return AdminExitCode.BadInput;
        }

        var (result, _) = await EmbeddedAdmin.CollectGarbageAsync(data, TimeSpan.FromSeconds(graceSeconds), ct);
        await (result.IsOk ? output : error).WriteLineAsync(result.IsOk ? result.Message : $"faasten admin gc: {result.Message}");
        return AdminCommand.ToExitCode(result.Status);
    }
}

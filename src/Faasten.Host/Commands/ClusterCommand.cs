using System.CommandLine;
using Faasten.Hosting.Configuration;

namespace Faasten.Host.Commands;

/// <summary>
/// <c>faasten gateway</c> and <c>faasten worker</c>: the two cluster processes (DESIGN §1, §8).
/// A gateway composes HTTP, authentication and the event server over an invocation client; a
/// worker composes the scheduler, the label-aware worker, the sandbox and the kernel. Both need
/// the shared engines, and refuse to start, saying which keys are missing, without them.
/// </summary>
internal static class ClusterCommand
{
    public static Command Create(string name, string description, bool runsVms)
    {
        var config = ConfigOptions.Create();
        var command = new Command(name, description) { config };
        command.SetAction(async (parseResult, _) => await RunAsync(parseResult.InvocationConfiguration.Error, name, parseResult.GetValue(config), runsVms));
        return command;
    }

    public static async Task<int> RunAsync(TextWriter error, string name, string? file, bool runsVms)
    {
        var loaded = FaastenConfiguration.Load(file, checkSandbox: runsVms);
        if (loaded.Settings is not { } settings)
        {
            await ConfigOptions.ReportAsync(error, name, loaded);
            return 2;
        }

        var missing = settings.Cluster.Missing();
        if (missing.Count > 0)
        {
            await error.WriteLineAsync($"faasten {name}: a cluster process needs the shared engines; not configured: {string.Join(", ", missing)}. On one machine, use faasten serve.");
            return 2;
        }

        // The seams are in place (GatewayWebHost over any IInvoker, WorkerHost over any backend);
        // the S3 blob store and the NATS queue that connect them across machines are not in this build.
        await error.WriteLineAsync($"faasten {name}: this build has no S3 blob store or NATS queue adapter yet, so cluster processes cannot start; use faasten serve.");
        return 2;
    }
}

using System.CommandLine;
using Faasten.Hosting.Cluster;
using Faasten.Hosting.Configuration;

namespace Faasten.Host.Commands;

/// <summary>
/// <c>faasten gateway</c> and <c>faasten worker</c>: the two cluster processes (DESIGN §1, §8).
/// A gateway composes HTTP, authentication and the event server over the NATS queue; a worker
/// composes the scheduler, the label-aware worker, the sandbox and the kernel, pulling from it.
/// Both need the shared engines (and a gateway the shared signing key file), and refuse to start,
/// saying which keys are missing, without them.
/// </summary>
internal static class ClusterCommand
{
    public static Command Create(string name, string description, bool runsVms)
    {
        var config = ConfigOptions.Create();
        var command = new Command(name, description) { config };
        command.SetAction(async (parseResult, ct) => await RunAsync(parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, name, parseResult.GetValue(config), runsVms, ct));
        return command;
    }

    public static async Task<int> RunAsync(TextWriter output, TextWriter error, string name, string? file, bool runsVms, CancellationToken ct = default)
    {
        var loaded = FaastenConfiguration.Load(file, checkSandbox: runsVms);
        if (loaded.Settings is not { } settings)
        {
            await ConfigOptions.ReportAsync(error, name, loaded);
            return 2;
        }

        var missing = ClusterGateway.Missing(settings, gateway: !runsVms);
        if (missing.Count > 0)
        {
            await error.WriteLineAsync($"faasten {name}: a cluster process needs the shared engines; not configured: {string.Join(", ", missing)}. On one machine, use faasten serve.");
            return 2;
        }

        try
        {
            if (runsVms)
            {
                await using var worker = await ClusterWorker.StartAsync(settings, ct);
                var probes = worker.OperatorAddress is { } operatorAddress ? $"; readiness and metrics on {operatorAddress}" : "";
                await output.WriteLineAsync($"faasten worker pulling from {Describe(settings.Cluster)} into {settings.Server.Worker.Slots} slots{probes}; Ctrl-C to stop");
                await worker.RunUntilStoppedAsync(ct);
            }
            else
            {
                await using var gateway = await ClusterGateway.StartAsync(settings, ct);
                await output.WriteLineAsync($"faasten gateway listening on {gateway.Address}; Ctrl-C to stop");
                await gateway.RunUntilStoppedAsync(ct);
            }
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync($"faasten {name}: {e.Message}");
            return 2;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or System.Data.Common.DbException or NATS.Client.Core.NatsException or Amazon.Runtime.AmazonServiceException or System.Net.Http.HttpRequestException or TimeoutException)
        {
            // An engine unreachable at start: say which and exit non-zero, so a supervisor retries.
            await error.WriteLineAsync($"faasten {name}: cannot start: {e.GetType().Name}: {e.Message}");
            return 1;
        }

        return 0;
    }

    /// <summary>The queue's host, never its credentials.</summary>
    private static string Describe(ClusterEngines cluster) =>
        Uri.TryCreate(cluster.Nats, UriKind.Absolute, out var url) ? $"{url.Scheme}://{url.Host}:{url.Port}" : "NATS";
}

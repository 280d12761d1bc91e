using System.CommandLine;
using Faasten.Hosting;
using Faasten.Hosting.Configuration;

namespace Faasten.Host.Commands;

/// <summary>
/// <c>faasten serve [--config FILE] [--data DIR] [--listen HOST:PORT]</c>: gateway, scheduler and
/// workers in one process on the embedded stores, configured as DESIGN §8 says (the flags
/// override the file and the environment). Ctrl-C or SIGTERM stops accepting requests, lets in-flight
/// ones finish and drains queued invocations before exiting.
/// </summary>
internal static class ServeCommand
{
    private static readonly Option<string?> ConfigOption = ConfigOptions.Create();

    private static readonly Option<string?> DataOption = new("--data")
    {
        Description = "Data directory: SQLite metadata, blobs, token signing key (created if missing). Key: data; default ./faasten-data.",
    };

    private static readonly Option<string?> ListenOption = new("--listen")
    {
        Description = "HOST:PORT to listen on; HOST is an IP address or localhost, port 0 picks a free one. Key: listen; default 127.0.0.1:8080.",
    };

    /// <summary>
    /// System.CommandLine gives a cancelled action 2 s before it abandons it and exits; draining
    /// needs the server's drain timeout, so serve gets a longer grace period than other commands.
    /// </summary>
    public static InvocationConfiguration InvocationFor(ParseResult parsed)
    {
        if (parsed.CommandResult.Command.Name is not ("serve" or "gateway" or "worker"))
        {
            return new InvocationConfiguration();
        }

        var configured = FaastenConfiguration.Load(parsed.GetValue(ConfigOption), checkSandbox: false).Settings;
        var drain = (configured?.Server ?? new FaastenServerOptions()).Worker.DrainTimeout;
        return new InvocationConfiguration { ProcessTerminationTimeout = drain * 2 + TimeSpan.FromSeconds(5) };
    }

    public static Command Create()
    {
        var command = new Command("serve", "Run the embedded all-in-one server (gateway, scheduler, workers).")
        {
            ConfigOption,
            DataOption,
            ListenOption,
        };
        command.SetAction(async (parseResult, ct) => (int)await RunAsync(
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            parseResult.GetValue(ConfigOption),
            parseResult.GetValue(DataOption),
            parseResult.GetValue(ListenOption),
            ct));
        return command;
    }

    public static async Task<ServeExitCode> RunAsync(TextWriter output, TextWriter error, string? config, string? data, string? listen, CancellationToken ct)
    {
        var flags = new Dictionary<string, string?>();
        if (data is not null)
        {
            flags["data"] = data;
        }

        if (listen is not null)
        {
            flags["listen"] = listen;
        }

        var loaded = FaastenConfiguration.Load(config, flags);
        if (loaded.Settings is not { } settings)
        {
            await ConfigOptions.ReportAsync(error, "serve", loaded);
            return ServeExitCode.BadInput;
        }

        if (settings.Cluster.Configured)
        {
            await error.WriteLineAsync("faasten serve: runs on the embedded stores; metadata.postgres, blobs.s3 and queue.nats configure the cluster processes (faasten gateway, faasten worker).");
            return ServeExitCode.BadInput;
        }

        FaastenServer server;
        try
        {
            server = await FaastenServer.StartAsync(settings.Server with { OperatorListen = settings.OperatorListen }, ct);
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync($"faasten serve: {e.Message}");
            return ServeExitCode.BadInput;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            await error.WriteLineAsync($"faasten serve: cannot start: {e.Message}");
            return ServeExitCode.Failed;
        }

        await using (server)
        {
            await output.WriteLineAsync($"faasten listening on {server.Address} (data in {server.DataDirectory}); Ctrl-C to stop");
            await server.RunUntilStoppedAsync(ct);
        }

        return ServeExitCode.Success;
    }
}

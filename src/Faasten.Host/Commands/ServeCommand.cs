using System.CommandLine;
using Faasten.Gateway;
using Faasten.Hosting;

namespace Faasten.Host.Commands;

/// <summary>
/// <c>faasten serve [--data DIR] [--listen HOST:PORT]</c>: gateway, scheduler and workers in one
/// process on the embedded stores. Ctrl-C or SIGTERM stops accepting requests, lets in-flight
/// ones finish and drains queued invocations before exiting.
/// </summary>
internal static class ServeCommand
{
    private static readonly Option<string> DataOption = new("--data")
    {
        Description = "Data directory: SQLite metadata, blobs, token signing key (created if missing).",
        DefaultValueFactory = _ => "faasten-data",
    };

    private static readonly Option<string> ListenOption = new("--listen")
    {
        Description = "HOST:PORT to listen on; HOST is an IP address or localhost, port 0 picks a free one.",
        DefaultValueFactory = _ => "127.0.0.1:8080",
    };

    /// <summary>
    /// System.CommandLine gives a cancelled action 2 s before it abandons it and exits; draining
    /// needs the server's drain timeout, so serve gets a longer grace period than other commands.
    /// </summary>
    public static InvocationConfiguration InvocationFor(ParseResult parsed) => parsed.CommandResult.Command.Name == "serve"
        ? new InvocationConfiguration { ProcessTerminationTimeout = new FaastenServerOptions().Worker.DrainTimeout * 2 + TimeSpan.FromSeconds(5) }
        : new InvocationConfiguration();

    public static Command Create()
    {
        var command = new Command("serve", "Run the embedded all-in-one server (gateway, scheduler, workers).")
        {
            DataOption,
            ListenOption,
        };
        command.SetAction(async (parseResult, ct) => (int)await RunAsync(
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            parseResult.GetRequiredValue(DataOption),
            parseResult.GetRequiredValue(ListenOption),
            ct));
        return command;
    }

    public static async Task<ServeExitCode> RunAsync(TextWriter output, TextWriter error, string data, string listen, CancellationToken ct)
    {
        FaastenServer server;
        try
        {
            server = await FaastenServer.StartAsync(new FaastenServerOptions { DataDirectory = data, Listen = listen }, ct);
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

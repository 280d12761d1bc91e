using System.CommandLine;
using System.CommandLine.Invocation;
using Faasten.Cli.Commands;
using Faasten.Cli.Config;
using Faasten.Cli.Http;

namespace Faasten.Cli;

/// <summary>The <c>fstn</c> command tree, and running it with fstn's exit codes for usage errors.</summary>
internal static class CliRoot
{
    public static RootCommand Create(CliHost host, ImageBuilder buildImage)
    {
        var root = new RootCommand(
            "fstn: the Faasten command-line client. Talks to FSTN_SERVER (default http://127.0.0.1:8080, or the server last " +
            "logged in to) with FSTN_TOKEN or the saved login. Exit codes: 0 ok, 1 refused or failed, 2 bad input, " +
            "3 server unreachable, 4 not authenticated.")
        {
            GlobalOptions.Json,
            LoginCommand.Create(host),
            WhoamiCommand.Create(host),
            TokenCommand.Create(host),
            LsCommand.Create(host),
            CatCommand.Create(host),
            PutCommand.Create(host),
            WriteCommand.Create(host),
            MkdirCommand.Create(host),
            MkfacetedCommand.Create(host),
            RmCommand.Create(host),
            LnCommand.Create(host),
            BuildCommand.Create(host),
            CompletionCommand.Create(host),
            RegisterCommand.Create(host, buildImage),
            GateCommand.Create(host),
            ServiceCommand.Create(host),
            TriggerCommand.Create(host),
            ScheduleCommand.Create(host),
            InvokeCommand.Create(host),
            ResultCommand.Create(host),
            LogsCommand.Create(host),
            InvocationsCommand.Create(host),
        };
        return root;
    }

    /// <summary>
    /// Parses and runs <paramref name="args"/>. Parse errors (unknown command, missing
    /// argument) exit 2 with one line each, not System.CommandLine's default of 1.
    /// </summary>
    public static async Task<int> InvokeAsync(RootCommand root, string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        var configuration = new InvocationConfiguration { Output = console.Out, Error = console.Error };
        if (args.Length == 0)
        {
            await root.Parse(["--help"]).InvokeAsync(configuration, cancellationToken);
            return (int)ExitCode.BadInput;
        }

        var parseResult = root.Parse(args);
        if (parseResult.Action is ParseErrorAction)
        {
            var json = args.Contains("--json", StringComparer.Ordinal);
            // "Required command was not provided" only restates an unrecognized one.
            var errors = parseResult.Errors.Count > 1 && parseResult.CommandResult.Command == root
                ? parseResult.Errors.Where(e => !e.Message.StartsWith("Required command", StringComparison.Ordinal))
                : parseResult.Errors;
            foreach (var error in errors)
            {
                ApiError.BadInput(error.Message.TrimEnd('.'), "usage").Report(console, json);
            }
            if (!json)
            {
                console.Error.WriteLine("Run 'fstn --help' (or 'fstn COMMAND --help') for usage.");
            }
            return (int)ExitCode.BadInput;
        }
        return await parseResult.InvokeAsync(configuration, cancellationToken);
    }

    /// <summary>The process entry: the real terminal and environment.</summary>
    public static Task<int> RunAsync(string[] args, ImageBuilder buildImage)
    {
        var host = new CliHost(CliConsole.CreateSystem(), CliEnvironment.System);
        return InvokeAsync(Create(host, buildImage), args, host.Console);
    }
}

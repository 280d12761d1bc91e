using System.CommandLine;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Faasten.Cli.Http;

namespace Faasten.Cli.Commands;

/// <summary>
/// <c>fstn invoke PATH [JSON] [--label L] [--async] [--logs]</c>: runs a gate with a JSON payload
/// taken from the argument, else from stdin when it is redirected, else <c>null</c>. With
/// <c>--logs</c>, what the function printed follows on stderr (stdout keeps the result).
/// </summary>
internal static class InvokeCommand
{
    private static readonly Argument<string> PathArgument = FsPathArgument.Create("path", "The gate to invoke, e.g. '~:gen-thumb'.");

    private static readonly Argument<string?> PayloadArgument = new("payload")
    {
        Description = "The JSON payload (default: stdin when redirected, else null).",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private static readonly Option<string?> LabelOption = new("--label")
    {
        Description = "The payload's label 'secrecy,integrity': the invocation starts at least this secret.",
    };

    private static readonly Option<bool> AsyncOption = new("--async")
    {
        Description = "Return at once with an invocation id; fetch the result with 'fstn result ID'.",
    };

    private static readonly Option<bool> LogsOption = new("--logs")
    {
        Description = "Then print what the function wrote to stdout and stderr, on stderr (when the caller may read them).",
    };

    public static Command Create(CliHost host)
    {
        var command = new Command("invoke", "Invoke a function through its gate and print its JSON result.")
        {
            PathArgument,
            PayloadArgument,
            LabelOption,
            AsyncOption,
            LogsOption,
        };
        command.SetAction((parseResult, cancellationToken) => host.RunAsync(parseResult, session => RunAsync(
            session,
            new InvokeOptions(
                parseResult.GetRequiredValue(PathArgument),
                parseResult.GetValue(PayloadArgument),
                parseResult.GetValue(LabelOption),
                parseResult.GetValue(AsyncOption),
                parseResult.GetValue(LogsOption)),
            cancellationToken)));
        return command;
    }

    public static async Task<ExitCode> RunAsync(CliSession session, InvokeOptions options, CancellationToken cancellationToken)
    {
        if ((FsPathArgument.Check(options.Path) ?? LabelSyntax.CheckLabel("--label", options.Label)) is { } bad)
        {
            return session.Report(bad);
        }

        if (options.Logs && options.Async)
        {
            return session.Report(ApiError.BadInput("--logs waits for the invocation: with --async, fetch them later with 'fstn logs ID'"));
        }

        var text = options.Payload;
        if (text is null && session.Console.IsInputRedirected)
        {
            using var reader = new StreamReader(session.Console.StandardInput, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
            text = await reader.ReadToEndAsync(cancellationToken);
        }
        if (string.IsNullOrWhiteSpace(text))
        {
            text = "null";
        }

        if (!JsonArgument.TryParse(text, "the payload is not valid JSON", out var payload, out var notJson))
        {
            return session.Report(notJson);
        }

        string? id = null;
        var result = await session.Client.InvokeAsync(new InvokeRequest(options.Path, payload, options.Label, !options.Async), cancellationToken, i => id = i);
        var exit = result.IsSuccess ? InvocationOutput.Print(session, result.Value, result.Label) : session.Report(result.Error);
        if (options.Logs && id is not null)
        {
            // A failed run's output is often the most useful; withheld logs are simply not there.
            var logs = await session.Client.GetLogsAsync(id, cancellationToken);
            if (logs.IsSuccess && logs.Value is { } shown)
            {
                LogsCommand.Print(session, shown, session.Console.Error);
            }
            else if (!logs.IsSuccess)
            {
                session.Console.Error.WriteLine($"fstn: no logs for invocation {id} ({logs.Error.Message})");
            }
        }

        return exit;
    }
}

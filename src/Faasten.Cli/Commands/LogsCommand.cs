using System.CommandLine;
using System.Text.Json.Nodes;

namespace Faasten.Cli.Commands;

/// <summary>
/// <c>fstn logs ID [--no-wait]</c>: what a function wrote to stdout and stderr during one
/// invocation, printed as it was written. Only a caller who may read the invocation's label sees it.
/// </summary>
internal static class LogsCommand
{
    private static readonly TimeSpan MaxPollInterval = TimeSpan.FromSeconds(2);

    private static readonly Argument<string> IdArgument = new("id") { Description = "The invocation's id ('fstn invoke --async' prints it; so does 'fstn invocations')." };

    private static readonly Option<bool> NoWaitOption = new("--no-wait")
    {
        Description = "Ask once: print 'pending' instead of waiting for the invocation to finish.",
    };

    public static Command Create(CliHost host)
    {
        var command = new Command("logs", "Print what a function wrote to stdout and stderr during one invocation.") { IdArgument, NoWaitOption };
        command.SetAction((parseResult, cancellationToken) => host.RunAsync(parseResult, session => RunAsync(
            session, parseResult.GetRequiredValue(IdArgument), !parseResult.GetValue(NoWaitOption), cancellationToken)));
        return command;
    }

    public static async Task<ExitCode> RunAsync(CliSession session, string id, bool wait, CancellationToken cancellationToken)
    {
        if (InvocationIdArgument.Check(id) is { } bad)
        {
            return session.Report(bad);
        }

        var interval = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            var result = await session.Client.GetLogsAsync(id, cancellationToken);
            if (!result.IsSuccess)
            {
                return session.Report(result.Error);
            }

            if (result.Value is { } logs)
            {
                Print(session, logs, session.Console.Out);
                return ExitCode.Success;
            }

            if (!wait)
            {
                session.Console.Out.WriteLine(session.Json ? new JsonObject { ["status"] = "pending" }.ToJsonString() : "pending");
                return ExitCode.Success;
            }

            await Task.Delay(interval, cancellationToken);
            interval = TimeSpan.FromTicks(Math.Min(interval.Ticks * 2, MaxPollInterval.Ticks));
        }
    }

    /// <summary>The logs as written (text) or as one JSON object; a truncation is said on stderr.</summary>
    public static void Print(CliSession session, Http.InvocationLogs logs, TextWriter output)
    {
        if (session.Json)
        {
            output.WriteLine(new JsonObject { ["id"] = logs.Id, ["logs"] = logs.Logs, ["truncated"] = logs.Truncated, ["label"] = logs.Label }.ToJsonString(Output.JsonOutput.Compact));
            return;
        }

        output.Write(logs.Logs);
        if (logs.Logs.Length > 0 && !logs.Logs.EndsWith('\n'))
        {
            output.WriteLine();
        }

        if (logs.Truncated)
        {
            session.Console.Error.WriteLine("fstn: the function wrote more than the server keeps; the rest was dropped");
        }
    }
}

using System.CommandLine;

namespace Faasten.Cli.Commands;

/// <summary><c>fstn result ID [--no-wait]</c>: the result of an asynchronous invocation.</summary>
internal static class ResultCommand
{
    private static readonly TimeSpan MaxPollInterval = TimeSpan.FromSeconds(2);

    private static readonly Argument<string> IdArgument = new("id") { Description = "The id 'fstn invoke --async' printed." };

    private static readonly Option<bool> NoWaitOption = new("--no-wait")
    {
        Description = "Ask once: print 'pending' instead of waiting for the invocation to finish.",
    };

    public static Command Create(CliHost host)
    {
        var command = new Command("result", "Print the result of an asynchronous invocation, waiting for it by default.") { IdArgument, NoWaitOption };
        command.SetAction((parseResult, cancellationToken) => host.RunAsync(parseResult, session => RunAsync(
            session, parseResult.GetRequiredValue(IdArgument), !parseResult.GetValue(NoWaitOption), cancellationToken)));
        return command;
    }

    public static async Task<ExitCode> RunAsync(CliSession session, string id, bool wait, CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            var result = await session.Client.GetInvocationAsync(id, cancellationToken);
            if (!result.IsSuccess)
            {
                return session.Report(result.Error);
            }
            if (!result.Value.Pending || !wait)
            {
                return InvocationOutput.Print(session, result.Value, result.Label);
            }
            await Task.Delay(interval, cancellationToken);
            interval = TimeSpan.FromTicks(Math.Min(interval.Ticks * 2, MaxPollInterval.Ticks));
        }
    }
}

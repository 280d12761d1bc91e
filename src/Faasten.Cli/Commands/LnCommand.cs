using System.CommandLine;
using System.Text.Json.Nodes;
using Faasten.Cli.Output;

namespace Faasten.Cli.Commands;

/// <summary><c>fstn ln SRC DEST</c>: hard-links an existing object under a second name.</summary>
internal static class LnCommand
{
    private static readonly Argument<string> SourceArgument = FsPathArgument.Create("source", "The existing object.");

    private static readonly Argument<string> DestinationArgument = FsPathArgument.Create("destination", "The new name for it.");

    public static Command Create(CliHost host)
    {
        var command = new Command("ln", "Link an existing object under another name.") { SourceArgument, DestinationArgument };
        command.SetAction((parseResult, cancellationToken) => host.RunAsync(parseResult, session => RunAsync(
            session, parseResult.GetRequiredValue(SourceArgument), parseResult.GetRequiredValue(DestinationArgument), cancellationToken)));
        return command;
    }

    public static async Task<ExitCode> RunAsync(CliSession session, string source, string destination, CancellationToken cancellationToken)
    {
        if ((FsPathArgument.Check(source) ?? FsPathArgument.Check(destination)) is { } bad)
        {
            return session.Report(bad);
        }
        var result = await session.Client.LinkAsync(source, destination, cancellationToken);
        if (!result.IsSuccess)
        {
            return session.Report(result.Error);
        }
        if (session.Json)
        {
            session.Console.Out.WriteLine(new JsonObject { ["source"] = source, ["destination"] = destination }.ToJsonString(JsonOutput.Compact));
        }
        else
        {
            session.Console.Out.WriteLine($"linked {destination} -> {source}");
        }
        return ExitCode.Success;
    }
}

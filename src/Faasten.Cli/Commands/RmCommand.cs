using System.CommandLine;

namespace Faasten.Cli.Commands;

/// <summary><c>fstn rm PATH</c>: unlinks one name from its directory.</summary>
internal static class RmCommand
{
    private static readonly Argument<string> PathArgument = FsPathArgument.Create("path", "The entry to unlink, e.g. '~:photos:old.jpg'.");

    public static Command Create(CliHost host)
    {
        var command = new Command("rm", "Unlink a name from its directory.") { PathArgument };
        command.SetAction((parseResult, cancellationToken) => host.RunAsync(
            parseResult, session => RunAsync(session, parseResult.GetRequiredValue(PathArgument), cancellationToken)));
        return command;
    }

    public static async Task<ExitCode> RunAsync(CliSession session, string path, CancellationToken cancellationToken)
    {
        if (FsPathArgument.Check(path) is { } bad)
        {
            return session.Report(bad);
        }
        var result = await session.Client.DeleteAsync(path, cancellationToken);
        return result.IsSuccess ? Done.Print(session, "removed", path) : session.Report(result.Error);
    }
}

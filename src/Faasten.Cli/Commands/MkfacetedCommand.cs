using System.CommandLine;

namespace Faasten.Cli.Commands;

/// <summary><c>fstn mkfaceted PATH</c>.</summary>
internal static class MkfacetedCommand
{
    private static readonly Argument<string> PathArgument = FsPathArgument.Create("path", "The faceted directory to create, e.g. '~:shared'.");

    public static Command Create(CliHost host)
    {
        var command = new Command("mkfaceted", "Create a faceted directory (one directory per label, opened as 'PATH:<label>').") { PathArgument };
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
        var result = await session.Client.CreateFacetedAsync(path, cancellationToken);
        return result.IsSuccess ? Done.Print(session, "created faceted directory", path) : session.Report(result.Error);
    }
}

using System.CommandLine;

namespace Faasten.Cli.Commands;

/// <summary><c>fstn mkdir PATH [--label L]</c>.</summary>
internal static class MkdirCommand
{
    private static readonly Argument<string> PathArgument = FsPathArgument.Create("path", "The directory to create, e.g. '~:photos'.");

    private static readonly Option<string?> LabelOption = new("--label")
    {
        Description = "The directory's label 'secrecy,integrity' (default: the server's, the request's current label).",
    };

    public static Command Create(CliHost host)
    {
        var command = new Command("mkdir", "Create a directory.") { PathArgument, LabelOption };
        command.SetAction((parseResult, cancellationToken) => host.RunAsync(parseResult, session => RunAsync(
            session, parseResult.GetRequiredValue(PathArgument), parseResult.GetValue(LabelOption), cancellationToken)));
        return command;
    }

    public static async Task<ExitCode> RunAsync(CliSession session, string path, string? label, CancellationToken cancellationToken)
    {
        if ((FsPathArgument.Check(path) ?? LabelSyntax.CheckLabel("--label", label)) is { } bad)
        {
            return session.Report(bad);
        }
        var result = await session.Client.CreateDirectoryAsync(path, label, cancellationToken);
        return result.IsSuccess ? Done.Print(session, "created directory", path) : session.Report(result.Error);
    }
}

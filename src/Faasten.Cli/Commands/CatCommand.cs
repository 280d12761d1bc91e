using System.CommandLine;
using Faasten.Cli.Http;

namespace Faasten.Cli.Commands;

/// <summary><c>fstn cat PATH</c>: streams a file's or blob's bytes to stdout.</summary>
internal static class CatCommand
{
    private static readonly Argument<string> PathArgument = FsPathArgument.Create("path", "The file or blob to print, e.g. '~:notes'.");

    public static Command Create(CliHost host)
    {
        var command = new Command("cat", "Print a file's or a blob's bytes to stdout.") { PathArgument };
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

        // Files and blobs are read through different routes; the stat says which this is.
        var stat = await session.Client.StatAsync(path, cancellationToken);
        if (!stat.IsSuccess)
        {
            return session.Report(stat.Error);
        }
        var blob = stat.Value.Kind == "blob";
        if (!blob && stat.Value.Kind != "file")
        {
            return session.Report(ApiError.BadInput($"'{path}' is a {stat.Value.Kind.Replace('_', ' ')}, not a file or blob (try 'fstn ls')", "wrong_kind"));
        }

        await session.Console.Out.FlushAsync(cancellationToken);
        var result = await session.Client.DownloadAsync(path, blob, session.Console.StandardOutput, cancellationToken);
        return result.IsSuccess ? ExitCode.Success : session.Report(result.Error);
    }
}

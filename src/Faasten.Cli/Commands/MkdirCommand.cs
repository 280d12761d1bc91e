using System.CommandLine;
using System.Net;
using Faasten.Cli.Http;

namespace Faasten.Cli.Commands;

/// <summary>
/// <c>fstn mkdir PATH [--label L] [-p]</c>. With <c>-p</c> the missing directories on the way are
/// created too (each with the label, when given) and an existing directory is no error.
/// </summary>
internal static class MkdirCommand
{
    private static readonly Argument<string> PathArgument = FsPathArgument.Create("path", "The directory to create, e.g. '~:photos'.");

    private static readonly Option<string?> LabelOption = new("--label")
    {
        Description = "The directory's label 'secrecy,integrity' (default: the server's, the request's current label).",
    };

    private static readonly Option<bool> ParentsOption = new("--parents", "-p")
    {
        Description = "Create missing parent directories too; an existing directory is no error.",
    };

    public static Command Create(CliHost host)
    {
        var command = new Command("mkdir", "Create a directory.") { PathArgument, LabelOption, ParentsOption };
        command.SetAction((parseResult, cancellationToken) => host.RunAsync(parseResult, session => RunAsync(
            session, parseResult.GetRequiredValue(PathArgument), parseResult.GetValue(LabelOption), parseResult.GetValue(ParentsOption), cancellationToken)));
        return command;
    }

    public static async Task<ExitCode> RunAsync(CliSession session, string path, string? label, bool parents, CancellationToken cancellationToken)
    {
        if ((FsPathArgument.Check(path) ?? LabelSyntax.CheckLabel("--label", label)) is { } bad)
        {
            return session.Report(bad);
        }
        foreach (var directory in parents ? Prefixes(path) : [path])
        {
            // With -p an existing directory is skipped before creating: creating 'home' would be
            // refused as a write to the root before its existence is even looked at.
            if (parents && await KindAsync(session, directory, cancellationToken) is { } kind)
            {
                if (kind is "directory" or "faceted_directory")
                {
                    continue;
                }
                return session.Report(new ApiError($"'{directory}' is a {kind}, not a directory", "bad_path", ExitCode.Failed));
            }
            var result = await session.Client.CreateDirectoryAsync(directory, label, cancellationToken);
            // Another client may have created it meanwhile.
            if (!result.IsSuccess && !(parents && result.Status == HttpStatusCode.Conflict && await KindAsync(session, directory, cancellationToken) is "directory"))
            {
                return session.Report(result.Error);
            }
        }
        return Done.Print(session, "created directory", path);
    }

    /// <summary>
    /// The directories to create for <c>-p</c>, outermost first. The root, <c>~</c>, <c>%</c> and
    /// facets always exist (a facet is a directory of its faceted directory), so they are skipped.
    /// </summary>
    internal static IEnumerable<string> Prefixes(string path)
    {
        var parts = path.Split(':');
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (part.Length == 0 || part.StartsWith('<') || part == "%" || (i == 0 && part == "~"))
            {
                continue;
            }
            yield return string.Join(':', parts[..(i + 1)]);
        }
    }

    private static async Task<string?> KindAsync(CliSession session, string path, CancellationToken cancellationToken)
    {
        var stat = await session.Client.StatAsync(path, cancellationToken);
        return stat.IsSuccess ? stat.Value.Kind : null;
    }
}

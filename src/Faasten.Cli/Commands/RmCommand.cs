using System.CommandLine;
using System.Net;
using Faasten.Cli.Http;

namespace Faasten.Cli.Commands;

/// <summary>
/// <c>fstn rm PATH [-r]</c>: unlinks one name from its directory; with <c>-r</c>, first
/// everything under a directory (and under each facet of a faceted directory the caller can list).
/// </summary>
internal static class RmCommand
{
    private static readonly Argument<string> PathArgument = FsPathArgument.Create("path", "The entry to unlink, e.g. '~:photos:old.jpg'.");

    private static readonly Option<bool> RecursiveOption = new("--recursive", "-r")
    {
        Description = "Remove a directory's entries first, depth first, then the directory.",
    };

    public static Command Create(CliHost host)
    {
        var command = new Command("rm", "Unlink a name from its directory.") { PathArgument, RecursiveOption };
        command.SetAction((parseResult, cancellationToken) => host.RunAsync(
            parseResult, session => RunAsync(session, parseResult.GetRequiredValue(PathArgument), parseResult.GetValue(RecursiveOption), cancellationToken)));
        return command;
    }

    public static async Task<ExitCode> RunAsync(CliSession session, string path, bool recursive, CancellationToken cancellationToken)
    {
        if (FsPathArgument.Check(path) is { } bad)
        {
            return session.Report(bad);
        }
        if (recursive && await EmptyAsync(session, path, cancellationToken) is { } failed)
        {
            return session.Report(failed);
        }
        var result = await session.Client.DeleteAsync(path, cancellationToken);
        return result.IsSuccess ? Done.Print(session, "removed", path) : session.Report(result.Error);
    }

    // Unlinks what is under path, leaving path itself; a file or blob has nothing under it.
    private static async Task<ApiError?> EmptyAsync(CliSession session, string path, CancellationToken cancellationToken)
    {
        var stat = await session.Client.StatAsync(path, cancellationToken);
        if (!stat.IsSuccess)
        {
            return stat.Status == HttpStatusCode.NotFound ? null : stat.Error; // the delete reports it
        }

        var children = new List<string>();
        if (stat.Value.Kind == "directory")
        {
            for (string? cursor = null; ;)
            {
                var page = await session.Client.ListAsync(path, cursor, cancellationToken);
                if (!page.IsSuccess)
                {
                    return page.Error;
                }
                children.AddRange(page.Value.Entries.Select(e => path + ":" + e.Name));
                if ((cursor = page.Value.Next) is null)
                {
                    break;
                }
            }
        }
        else if (stat.Value.Kind == "faceted_directory")
        {
            for (string? cursor = null; ;)
            {
                var page = await session.Client.ListFacetsAsync(path, clearance: null, cursor, cancellationToken);
                if (!page.IsSuccess)
                {
                    return page.Error;
                }
                foreach (var facet in page.Value.Facets)
                {
                    // A facet is not unlinked (it always exists); its entries are.
                    if (await EmptyAsync(session, $"{path}:<{facet}>", cancellationToken) is { } failed)
                    {
                        return failed;
                    }
                }
                if ((cursor = page.Value.Next) is null)
                {
                    break;
                }
            }
        }

        foreach (var child in children)
        {
            if (await EmptyAsync(session, child, cancellationToken) is { } failed)
            {
                return failed;
            }
            var removed = await session.Client.DeleteAsync(child, cancellationToken);
            if (!removed.IsSuccess && removed.Status != HttpStatusCode.NotFound)
            {
                return removed.Error;
            }
        }
        return null;
    }
}

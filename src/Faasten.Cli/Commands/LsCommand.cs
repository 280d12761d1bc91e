using System.CommandLine;
using System.Text.Json.Nodes;
using Faasten.Cli.Http;
using Faasten.Cli.Output;

namespace Faasten.Cli.Commands;

/// <summary>
/// <c>fstn ls [PATH] [-l] [--clearance L]</c>: a directory's entries, a faceted directory's
/// facets, or a single object. With <c>-l</c>, each entry's label (one stat per entry).
/// </summary>
internal static class LsCommand
{
    private static readonly Argument<string> PathArgument = new("path")
    {
        Description = "A Faasten-FS path, e.g. '~:photos' or 'home:<alice,alice>'. Default: '~' (quote it).",
        DefaultValueFactory = static _ => "~",
    };

    private static readonly Option<bool> LongOption = new("--long", "-l")
    {
        Description = "Also show each entry's label.",
    };

    private static readonly Option<string?> ClearanceOption = new("--clearance")
    {
        Description = "For a faceted directory: list facets that flow to this label (default: the server's).",
    };

    public static Command Create(CliHost host)
    {
        var command = new Command("ls", "List a directory, the facets of a faceted directory, or one object.")
        {
            PathArgument,
            LongOption,
            ClearanceOption,
        };
        command.SetAction((parseResult, cancellationToken) => host.RunAsync(parseResult, session => RunAsync(
            session,
            new LsOptions(parseResult.GetRequiredValue(PathArgument), parseResult.GetValue(LongOption), parseResult.GetValue(ClearanceOption)),
            cancellationToken)));
        return command;
    }

    public static async Task<ExitCode> RunAsync(CliSession session, LsOptions options, CancellationToken cancellationToken)
    {
        if ((FsPathArgument.Check(options.Path) ?? LabelSyntax.CheckLabel("--clearance", options.Clearance)) is { } bad)
        {
            return session.Report(bad);
        }

        var stat = await session.Client.StatAsync(options.Path, cancellationToken);
        if (!stat.IsSuccess)
        {
            return session.Report(stat.Error);
        }

        var kind = stat.Value.Kind;
        if (kind.StartsWith("faceted", StringComparison.Ordinal))
        {
            return await ListFacetsAsync(session, options, kind, cancellationToken);
        }
        if (kind != "directory")
        {
            var name = options.Path[(options.Path.LastIndexOf(':') + 1)..];
            Print(session, options, kind, stat.Value.Label, [new LsRow(kind, name, stat.Value.Label)], "entries");
            return ExitCode.Success;
        }

        // The server answers a page at a time (at most 1,000 entries); follow the pages to the end.
        var all = new List<DirectoryEntry>();
        string? cursor = null;
        do
        {
            var list = await session.Client.ListAsync(options.Path, cursor, cancellationToken);
            if (!list.IsSuccess)
            {
                return session.Report(list.Error);
            }
            all.AddRange(list.Value.Entries);
            cursor = list.Value.Next;
        }
        while (cursor is not null);

        var rows = new List<LsRow>();
        foreach (var entry in all.OrderBy(static e => e.Name, StringComparer.Ordinal))
        {
            string? label = null;
            if (options.Long)
            {
                var entryStat = await session.Client.StatAsync(Join(options.Path, entry.Name), cancellationToken);
                if (!entryStat.IsSuccess && entryStat.Error.ExitCode is ExitCode.Unreachable or ExitCode.Unauthorized)
                {
                    return session.Report(entryStat.Error);
                }
                // An entry this caller may not see the label of (withheld) still shows by name.
                label = entryStat.IsSuccess ? entryStat.Value.Label ?? "-" : $"({entryStat.Error.Code})";
            }
            rows.Add(new LsRow(entry.Kind, entry.Name, label));
        }
        Print(session, options, kind, stat.Value.Label, rows, "entries");
        return ExitCode.Success;
    }

    private static async Task<ExitCode> ListFacetsAsync(CliSession session, LsOptions options, string kind, CancellationToken cancellationToken)
    {
        var all = new List<string>();
        string? cursor = null;
        do
        {
            var facets = await session.Client.ListFacetsAsync(options.Path, options.Clearance, cursor, cancellationToken);
            if (!facets.IsSuccess)
            {
                return session.Report(facets.Error);
            }
            all.AddRange(facets.Value.Facets);
            cursor = facets.Value.Next;
        }
        while (cursor is not null);

        // Facets print as path components ('<alice,alice>') so they can be pasted after the path.
        var rows = all.Order(StringComparer.Ordinal).Select(f => new LsRow("facet", "<" + f + ">", options.Long ? f : null)).ToList();
        Print(session, options, kind, null, rows, "facets");
        return ExitCode.Success;
    }

    private static void Print(CliSession session, LsOptions options, string kind, string? label, IReadOnlyList<LsRow> rows, string field)
    {
        if (session.Json)
        {
            var items = new JsonArray();
            foreach (var row in rows)
            {
                items.Add(field == "facets"
                    ? JsonValue.Create(row.Name[1..^1])
                    : new JsonObject { ["name"] = row.Name, ["kind"] = row.Kind, ["label"] = row.Label });
            }
            session.Console.Out.WriteLine(new JsonObject
            {
                ["path"] = options.Path,
                ["kind"] = kind,
                ["label"] = label,
                [field] = items,
            }.ToJsonString(JsonOutput.Compact));
            return;
        }
        TableWriter.Write(session.Console.Out, rows.Select(row => options.Long
            ? (IReadOnlyList<string>)[row.Kind, row.Label ?? "-", row.Name]
            : [row.Kind, row.Name]));
    }

    private static string Join(string directory, string name) =>
        directory.Length == 0 || directory == ":" ? name : directory + ":" + name;
}

using System.CommandLine;
using System.Text.Json.Nodes;
using Faasten.Cli.Output;

namespace Faasten.Cli.Commands;

/// <summary><c>fstn gate show PATH</c>: every field of a gate the caller may read (GET /gates).</summary>
internal static class GateCommand
{
    private static readonly Argument<string> PathArgument = FsPathArgument.Create("path", "The gate, e.g. '~:gen-thumb'.");

    public static Command Create(CliHost host)
    {
        var show = new Command("show", "Show a gate: label, privilege, clearance, declassify, function (image, runtime, memory, timeout) and environment.") { PathArgument };
        show.SetAction((parseResult, cancellationToken) => host.RunAsync(
            parseResult, session => ShowAsync(session, parseResult.GetRequiredValue(PathArgument), cancellationToken)));
        return new Command("gate", "Inspect gates.") { show };
    }

    public static async Task<ExitCode> ShowAsync(CliSession session, string path, CancellationToken cancellationToken)
    {
        if (FsPathArgument.Check(path) is { } bad)
        {
            return session.Report(bad);
        }
        var result = await session.Client.GetGateAsync(path, cancellationToken);
        if (!result.IsSuccess)
        {
            return session.Report(result.Error);
        }
        return Fields.Print(session, result.Value, new Dictionary<string, Func<JsonNode, string>>
        {
            ["timeout"] = ms => $"{ms} ms",
            ["memory"] = mb => $"{mb} MB",
        });
    }
}

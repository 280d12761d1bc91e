using System.CommandLine;
using System.Net;
using System.Text.Json.Nodes;
using Faasten.Cli.Http;
using Faasten.Cli.Output;

namespace Faasten.Cli.Commands;

/// <summary><c>fstn write PATH [--label L]</c>: stdin becomes the file's content, creating the file if needed.</summary>
internal static class WriteCommand
{
    private static readonly Argument<string> PathArgument = FsPathArgument.Create("path", "The file to write, e.g. '~:notes'.");

    private static readonly Option<string?> LabelOption = new("--label")
    {
        Description = "The label for a new file (ignored when the file exists; default: the server's).",
    };

    public static Command Create(CliHost host)
    {
        var command = new Command("write", "Write stdin to a file, creating it if it does not exist.") { PathArgument, LabelOption };
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

        // Files are small mutable values (large data belongs in blobs), and the content may be
        // sent twice (update, then create), so it is read whole.
        using var buffer = new MemoryStream();
        await session.Console.StandardInput.CopyToAsync(buffer, cancellationToken);
        var content = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);

        var created = false;
        var result = await session.Client.WriteFileAsync(path, content, cancellationToken);
        if (result.Status == HttpStatusCode.NotFound)
        {
            result = await session.Client.CreateFileAsync(path, label, content, cancellationToken);
            created = true;
        }
        if (!result.IsSuccess)
        {
            return session.Report(result.Error);
        }

        if (session.Json)
        {
            session.Console.Out.WriteLine(new JsonObject { ["path"] = path, ["created"] = created, ["size"] = content.Length }.ToJsonString(JsonOutput.Compact));
        }
        else
        {
            session.Console.Out.WriteLine($"{(created ? "created" : "updated")} {path} ({Bytes.Format(content.Length)})");
        }
        return ExitCode.Success;
    }
}

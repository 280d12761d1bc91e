using System.CommandLine;
using System.Net;
using System.Text.Json.Nodes;
using Faasten.Cli.Http;
using Faasten.Cli.Output;

namespace Faasten.Cli.Commands;

/// <summary>
/// <c>fstn put LOCAL PATH [--label L] [--force]</c>: uploads a local file (or stdin, as '-') as a
/// blob, streamed from disk, with a progress bar on a terminal for large files. <c>--force</c>
/// replaces what the name held (unlinks it, then links the new blob).
/// </summary>
internal static class PutCommand
{
    private static readonly Argument<string> LocalArgument = new("local")
    {
        Description = "The local file to upload, or '-' for stdin.",
    };

    private static readonly Argument<string> PathArgument = FsPathArgument.Create("path", "Where to link the blob, e.g. '~:photos:cat.jpg'.");

    private static readonly Option<string?> LabelOption = new("--label")
    {
        Description = "The blob's label 'secrecy,integrity' (default: the server's, the request's current label).",
    };

    private static readonly Option<bool> ForceOption = new("--force", "-f")
    {
        Description = "Replace an existing entry at the path.",
    };

    public static Command Create(CliHost host)
    {
        var command = new Command("put", "Upload a local file as a blob.") { LocalArgument, PathArgument, LabelOption, ForceOption };
        command.SetAction((parseResult, cancellationToken) => host.RunAsync(parseResult, session => RunAsync(
            session,
            parseResult.GetRequiredValue(LocalArgument),
            parseResult.GetRequiredValue(PathArgument),
            parseResult.GetValue(LabelOption),
            parseResult.GetValue(ForceOption),
            cancellationToken)));
        return command;
    }

    public static async Task<ExitCode> RunAsync(CliSession session, string local, string path, string? label, bool force, CancellationToken cancellationToken)
    {
        if ((FsPathArgument.Check(path) ?? LabelSyntax.CheckLabel("--label", label)) is { } bad)
        {
            return session.Report(bad);
        }

        // Stdin cannot be sent twice: make room first. A file is tried first and sent again
        // only if the name was taken, so a refused upload leaves the old entry in place.
        if (force && local == "-" && await RemoveAsync(session, path, cancellationToken) is { } notRemoved)
        {
            return session.Report(notRemoved);
        }
        var result = await UploadAsync(session, local, path, label, cancellationToken);
        if (force && local != "-" && result.Status == HttpStatusCode.Conflict)
        {
            if (await RemoveAsync(session, path, cancellationToken) is { } failed)
            {
                return session.Report(failed);
            }
            result = await UploadAsync(session, local, path, label, cancellationToken);
        }
        if (!result.IsSuccess)
        {
            return session.Report(result.Error);
        }

        var blob = result.Value;
        if (session.Json)
        {
            session.Console.Out.WriteLine(new JsonObject { ["path"] = path, ["hash"] = blob.Hash, ["size"] = blob.Size }.ToJsonString(JsonOutput.Compact));
        }
        else
        {
            session.Console.Out.WriteLine($"{path}: blob {blob.Hash} ({Bytes.Format(blob.Size)})");
        }
        return ExitCode.Success;
    }

    private static async Task<ApiError?> RemoveAsync(CliSession session, string path, CancellationToken cancellationToken)
    {
        var removed = await session.Client.DeleteAsync(path, cancellationToken);
        return removed.IsSuccess || removed.Status == HttpStatusCode.NotFound ? null : removed.Error;
    }

    private static async Task<ApiResult<BlobResponse>> UploadAsync(CliSession session, string local, string path, string? label, CancellationToken cancellationToken)
    {

        Stream content;
        long? length = null;
        if (local == "-")
        {
            content = session.Console.StandardInput;
        }
        else
        {
            try
            {
                var file = new FileStream(local, new FileStreamOptions
                {
                    Mode = FileMode.Open,
                    Access = FileAccess.Read,
                    Share = FileShare.Read,
                    Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
                });
                content = file;
                length = file.Length;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return ApiResult<BlobResponse>.Failure(ApiError.BadInput($"cannot read '{local}': {e.Message}", "bad_file"));
            }
        }

        await using (local == "-" ? null : content)
        {
            return await UploadProgress.RunAsync(session.Console, Path.GetFileName(local), length,
                progress => session.Client.UploadBlobAsync(path, label, content, length, progress, cancellationToken));
        }
    }
}

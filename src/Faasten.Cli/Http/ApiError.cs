using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Faasten.Cli.Output;

namespace Faasten.Cli.Http;

/// <summary>
/// A failed request as the user sees it: one message, a machine code and the exit code.
/// Refusals are values, not exceptions: every command ends by reporting one of these or succeeding.
/// </summary>
internal sealed record ApiError(string Message, string Code, ExitCode ExitCode)
{
    /// <summary>More lines under the message: a function's traceback.</summary>
    public string? Detail { get; init; }

    public static ApiError FromResponse(HttpStatusCode status, ErrorResponse? body)
    {
        var code = string.IsNullOrWhiteSpace(body?.Code) ? DefaultCode(status) : body.Code;
        if (string.IsNullOrWhiteSpace(body?.Error))
        {
            return new ApiError($"the server answered {(int)status} {status}", code, ExitCodeFor(status));
        }
        return FunctionFailure(body.Error, code, ExitCodeFor(status)) ?? new ApiError(body.Error, code, ExitCodeFor(status));
    }

    /// <summary>
    /// A function's error arrives as the runtime's JSON, <c>{"error": type, "message", "traceback"}</c>,
    /// inside the error text: shown as "KeyError: 'input'" with the traceback under it.
    /// </summary>
    private static ApiError? FunctionFailure(string text, string code, ExitCode exitCode)
    {
        if (!text.StartsWith('{'))
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("error", out var type) || type.ValueKind != JsonValueKind.String)
            {
                return null;
            }
            var message = root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            var traceback = root.TryGetProperty("traceback", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            return new ApiError(string.IsNullOrEmpty(message) ? type.GetString()! : $"{type.GetString()}: {message}", code, exitCode)
            {
                Detail = string.IsNullOrWhiteSpace(traceback) ? null : traceback,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static ApiError Unreachable(Uri server, string reason) =>
        new($"cannot reach the server at {server.AbsoluteUri.TrimEnd('/')}: {reason}", "unreachable", ExitCode.Unreachable);

    public static ApiError BadInput(string message, string code = "bad_input") => new(message, code, ExitCode.BadInput);

    /// <summary>
    /// Writes <c>fstn: message (code)</c> to stderr, or the API's error object with --json.
    /// A multi-line message (a function's traceback) keeps its first line as the summary and
    /// indents the rest below it.
    /// </summary>
    public ExitCode Report(CliConsole console, bool json)
    {
        if (json)
        {
            var error = new JsonObject { ["error"] = Message, ["code"] = Code };
            if (Detail is not null)
            {
                error["detail"] = Detail;
            }
            console.Error.WriteLine(error.ToJsonString(JsonOutput.Compact));
            return ExitCode;
        }
        var text = Detail is null ? Message : Message + "\n" + Detail;
        var lines = text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        console.Error.WriteLine($"fstn: {lines[0]} ({Code})");
        foreach (var line in lines.AsSpan(1))
        {
            console.Error.WriteLine("  " + line);
        }
        return ExitCode;
    }

    private static ExitCode ExitCodeFor(HttpStatusCode status) => status switch
    {
        HttpStatusCode.BadRequest => ExitCode.BadInput,
        HttpStatusCode.Unauthorized => ExitCode.Unauthorized,
        _ => ExitCode.Failed,
    };

    private static string DefaultCode(HttpStatusCode status) => status switch
    {
        HttpStatusCode.BadRequest => "bad_request",
        HttpStatusCode.Unauthorized => "unauthorized",
        HttpStatusCode.Forbidden => "forbidden",
        HttpStatusCode.NotFound => "not_found",
        HttpStatusCode.MethodNotAllowed => "method_not_allowed",
        HttpStatusCode.Conflict => "exists",
        HttpStatusCode.RequestEntityTooLarge => "too_large",
        HttpStatusCode.TooManyRequests => "queue_full",
        HttpStatusCode.GatewayTimeout => "timeout",
        _ => "http_" + ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

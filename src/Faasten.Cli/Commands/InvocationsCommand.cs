using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Faasten.Cli.Http;
using Faasten.Cli.Output;

namespace Faasten.Cli.Commands;

/// <summary>
/// <c>fstn invocations [--gate PATH] [--limit N] [--cursor C]</c> lists the invocation records
/// the caller may read, newest first; <c>fstn invocations ID [--trail]</c> shows one, with the
/// taint trail: each step that raised its label, and the label after it.
/// </summary>
internal static class InvocationsCommand
{
    private static readonly Argument<string?> IdArgument = new("id")
    {
        Description = "Show this invocation's record instead of listing.",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private static readonly Option<string?> GateOption = new("--gate") { Description = "List only invocations of this gate, e.g. '~:gen-thumb'." };

    private static readonly Option<int?> LimitOption = new("--limit") { Description = "Records per page, 1 to 1000 (default 50)." };

    private static readonly Option<string?> CursorOption = new("--cursor") { Description = "Continue a listing where the previous page ended (its 'next')." };

    private static readonly Option<bool> TrailOption = new("--trail") { Description = "With an ID: also show where the invocation's label came from." };

    public static Command Create(CliHost host)
    {
        var command = new Command("invocations", "List invocation records newest first, or show one (with --trail, why its result carries its label).")
        {
            IdArgument,
            GateOption,
            LimitOption,
            CursorOption,
            TrailOption,
        };
        command.SetAction((parseResult, cancellationToken) => host.RunAsync(parseResult, session => RunAsync(
            session,
            new InvocationsOptions(parseResult.GetValue(IdArgument), parseResult.GetValue(GateOption), parseResult.GetValue(LimitOption), parseResult.GetValue(CursorOption), parseResult.GetValue(TrailOption)),
            cancellationToken)));
        return command;
    }

    public static async Task<ExitCode> RunAsync(CliSession session, InvocationsOptions options, CancellationToken cancellationToken)
    {
        if (Check(options) is { } bad)
        {
            return session.Report(bad);
        }

        return options.Id is { } id ? await ShowAsync(session, id, options.Trail, cancellationToken) : await ListAsync(session, options, cancellationToken);
    }

    private static ApiError? Check(InvocationsOptions options)
    {
        if (options.Id is { } id)
        {
            return InvocationIdArgument.Check(id)
                ?? (options.Gate is not null || options.Limit is not null || options.Cursor is not null
                    ? ApiError.BadInput("--gate, --limit and --cursor select records to list; they do not go with an ID")
                    : null);
        }

        if (options.Trail)
        {
            return ApiError.BadInput("--trail shows one invocation's trail: give its ID");
        }

        if (options.Limit is < 1 or > 1000)
        {
            return ApiError.BadInput("--limit must be from 1 to 1000");
        }

        return options.Gate is { } gate ? FsPathArgument.Check(gate) : null;
    }

    private static async Task<ExitCode> ShowAsync(CliSession session, string id, bool trail, CancellationToken cancellationToken)
    {
        var result = await session.Client.GetRecordAsync(id, cancellationToken);
        if (!result.IsSuccess)
        {
            return session.Report(result.Error);
        }

        var output = session.Console.Out;
        if (result.Value is not { } record)
        {
            output.WriteLine(session.Json ? "{\"status\":\"pending\"}" : "pending");
            return ExitCode.Success;
        }

        if (session.Json)
        {
            output.WriteLine(JsonSerializer.Serialize(trail ? record : record with { Trail = null }, FstnJsonContext.Default.InvocationRecord));
            return ExitCode.Success;
        }

        TableWriter.Write(output,
        [
            ["id", record.Id],
            ["gate", record.Gate],
            ["status", record.Status],
            ["queued", record.Queued],
            ["started", record.Started ?? "-"],
            ["finished", record.Finished ?? "-"],
            ["duration", Duration(record)],
            ["start", Start(record)],
            ["vm", record.Vm ?? "-"],
            ["worker", record.Worker],
            ["label", record.Label],
        ]);
        if (trail)
        {
            PrintTrail(output, record.Trail ?? []);
        }

        return ExitCode.Success;
    }

    /// <summary>The trail as aligned lines: the label after each step, then the step.</summary>
    public static void PrintTrail(TextWriter output, IReadOnlyList<TrailStep> trail)
    {
        output.WriteLine("trail:");
        if (trail.Count == 0)
        {
            output.WriteLine("  (nothing raised the label: it stayed public)");
            return;
        }

        TableWriter.Write(output, trail.Select(step => (IReadOnlyList<string>)["  " + step.Label, step.What]));
    }

    private static async Task<ExitCode> ListAsync(CliSession session, InvocationsOptions options, CancellationToken cancellationToken)
    {
        var result = await session.Client.ListInvocationsAsync(options.Gate, options.Limit, options.Cursor, cancellationToken);
        if (!result.IsSuccess)
        {
            return session.Report(result.Error);
        }

        var page = result.Value;
        if (session.Json)
        {
            session.Console.Out.WriteLine(JsonSerializer.Serialize(page, FstnJsonContext.Default.RecordList));
            return ExitCode.Success;
        }

        if (page.Invocations.Count > 0)
        {
            TableWriter.Write(session.Console.Out, page.Invocations
                .Select(r => (IReadOnlyList<string>)[r.Id, r.Status, Start(r), Duration(r), r.Queued, r.Gate])
                .Prepend(["ID", "STATUS", "START", "DURATION", "QUEUED", "GATE"]));
        }

        if (page.Next is { } next)
        {
            session.Console.Error.WriteLine($"more: fstn invocations --cursor {next}" + (options.Gate is null ? "" : $" --gate '{options.Gate}'"));
        }

        return ExitCode.Success;
    }

    private static string Start(InvocationRecord record) => record.Vm is null ? "-" : record.Cold ? "cold" : "warm";

    private static string Duration(InvocationRecord record) =>
        DateTimeOffset.TryParse(record.Started, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var started)
        && DateTimeOffset.TryParse(record.Finished, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var finished)
            ? ((finished - started).TotalMilliseconds).ToString("0", CultureInfo.InvariantCulture) + " ms"
            : "-";
}

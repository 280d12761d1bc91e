using System.CommandLine;
using System.Text.Json;
using Faasten.Cli.Http;

namespace Faasten.Cli.Commands;

/// <summary>
/// <c>fstn schedule create PATH --cron EXPR --gate G --privilege P [--payload JSON]
/// [--payload-label L] [--label L]</c>: invokes the gate at every tick of the cron expression (UTC).
/// </summary>
internal static class ScheduleCommand
{
    private static readonly Argument<string> PathArgument = FsPathArgument.Create("path", "The schedule, e.g. '~:nightly'.");

    private static readonly Option<string> CronOption = new("--cron")
    {
        Description = "Five-field cron expression in UTC: minute hour day month weekday, e.g. '0 3 * * *'.",
        Required = true,
    };

    private static readonly Option<string> GateOption = new("--gate") { Description = "The gate each tick invokes.", Required = true };

    private static readonly Option<string> PrivilegeOption = new("--privilege")
    {
        Description = "The privilege each tick invokes with. Your privilege must imply it.",
        Required = true,
    };

    private static readonly Option<string?> PayloadOption = new("--payload") { Description = "The JSON payload of every invocation (default null)." };

    private static readonly Option<string?> PayloadLabelOption = new("--payload-label")
    {
        Description = "The payload's label (default: the request's current label).",
    };

    private static readonly Option<string?> LabelOption = new("--label") { Description = "The schedule's label (default: the server's)." };

    public static Command Create(CliHost host)
    {
        var create = new Command("create", "Create a schedule: a gate invoked at every tick of a cron expression.")
        {
            PathArgument, CronOption, GateOption, PrivilegeOption, PayloadOption, PayloadLabelOption, LabelOption,
        };
        create.SetAction((parseResult, cancellationToken) => host.RunAsync(parseResult, async session =>
        {
            var (path, gate, privilege, payloadLabel, label) = (parseResult.GetRequiredValue(PathArgument), parseResult.GetRequiredValue(GateOption),
                parseResult.GetRequiredValue(PrivilegeOption), parseResult.GetValue(PayloadLabelOption), parseResult.GetValue(LabelOption));
            if ((FsPathArgument.Check(path)
                ?? FsPathArgument.Check(gate)
                ?? LabelSyntax.CheckComponent("--privilege", privilege)
                ?? LabelSyntax.CheckLabel("--payload-label", payloadLabel)
                ?? LabelSyntax.CheckLabel("--label", label)) is { } bad)
            {
                return session.Report(bad);
            }
            JsonElement? payload = null;
            if (parseResult.GetValue(PayloadOption) is { } text)
            {
                if (!JsonArgument.TryParse(text, "--payload is not JSON", out var parsed, out var notJson))
                {
                    return session.Report(notJson);
                }

                payload = parsed;
            }
            var request = new ScheduleRequest(path, parseResult.GetRequiredValue(CronOption), gate, privilege, payload, payloadLabel, label);
            var result = await session.Client.CreateScheduleAsync(request, cancellationToken);
            return result.IsSuccess ? Done.Print(session, "created schedule", path) : session.Report(result.Error);
        }));
        return new Command("schedule", "Create schedules (cron-driven invocations).") { create };
    }
}

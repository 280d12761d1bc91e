using System.Text.Json;

namespace Faasten.Cli.Http;

/// <summary>The body of <c>POST /fs/schedule</c>.</summary>
internal sealed record ScheduleRequest(string Path, string Cron, string Gate, string Privilege, JsonElement? Payload, string? PayloadLabel, string? Label);

using System.Text.Json;

namespace Faasten.Gateway.Json;

/// <summary>POST /fs/schedule. <c>payloadLabel</c> defaults to the request's current label; <c>payload</c> to JSON null.</summary>
internal sealed record ScheduleBody(string? Path, string? Cron, string? Gate, string? Privilege, JsonElement? Payload, string? PayloadLabel, string? Label);

using System.Text.Json;

namespace Faasten.Gateway.Json;

/// <summary>POST /invoke: the gate path, the JSON payload, its label (default: the request's) and sync (default true).</summary>
internal sealed record InvokeBody(string? Path, JsonElement? Payload, string? Label, bool? Sync);

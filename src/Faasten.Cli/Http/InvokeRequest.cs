using System.Text.Json;

namespace Faasten.Cli.Http;

internal sealed record InvokeRequest(string Path, JsonElement Payload, string? Label, bool Sync);

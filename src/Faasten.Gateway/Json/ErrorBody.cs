namespace Faasten.Gateway.Json;

/// <summary>Every error response: one clear line and a machine code.</summary>
internal sealed record ErrorBody(string Error, string Code);

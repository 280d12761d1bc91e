namespace Faasten.Gateway.Json;

internal sealed record TrailStepResponse(string What, string Label);

namespace Faasten.Gateway.Json;

internal sealed record BlobResponse(string Hash, long Size);

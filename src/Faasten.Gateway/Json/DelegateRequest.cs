namespace Faasten.Gateway.Json;

/// <summary>A sub-privilege to delegate and an optional lifetime in seconds.</summary>
internal sealed record DelegateRequest(string? Privilege, long? Ttl);

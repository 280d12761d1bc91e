namespace Faasten.Cli.Http;

/// <summary>The body of <c>POST /auth/delegate</c>; <c>ttl</c> in seconds.</summary>
internal sealed record DelegateRequest(string Privilege, long? Ttl);

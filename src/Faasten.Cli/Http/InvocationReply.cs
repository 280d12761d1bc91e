namespace Faasten.Cli.Http;

/// <summary>
/// What <c>POST /invoke</c> or <c>GET /invocations/{id}</c> answered: the function's JSON
/// result (200), an invocation id (202 on submit), or still pending (202 on poll).
/// </summary>
internal sealed record InvocationReply(string? ResultJson, string? Id, bool Pending);

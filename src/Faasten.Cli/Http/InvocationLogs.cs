namespace Faasten.Cli.Http;

/// <summary><c>GET /invocations/{id}/logs</c>: what the function wrote to stdout and stderr (null while it runs).</summary>
internal sealed record InvocationLogs(string Id, string Logs, bool Truncated, string Label);

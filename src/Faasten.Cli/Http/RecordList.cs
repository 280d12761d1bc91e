namespace Faasten.Cli.Http;

/// <summary><c>GET /invocations</c>: a page of records, newest first, and the cursor of the next.</summary>
internal sealed record RecordList(IReadOnlyList<InvocationRecord> Invocations, string? Next);

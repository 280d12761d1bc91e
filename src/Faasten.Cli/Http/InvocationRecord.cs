namespace Faasten.Cli.Http;

/// <summary>An invocation record (<c>GET /invocations/{id}/record</c>, or an entry of <c>GET /invocations</c> without the trail).</summary>
internal sealed record InvocationRecord(
    string Id,
    string Gate,
    string Status,
    string Queued,
    string? Started,
    string? Finished,
    bool Cold,
    string? Vm,
    string Worker,
    string Label,
    IReadOnlyList<TrailStep>? Trail);

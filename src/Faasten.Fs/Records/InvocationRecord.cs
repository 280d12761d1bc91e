using Faasten.Labels;

namespace Faasten.Fs.Records;

/// <summary>
/// What happened to one invocation (DESIGN §9): kept in the metadata store for the retention,
/// labeled with <see cref="Label"/> and released only under it (rule 7), logs and trail included.
/// </summary>
/// <param name="Gate">The gate path as invoked, with <c>~</c> expanded for the invoker.</param>
/// <param name="Status">The <c>InvocationStatus</c> name in snake case (<c>ok</c>, <c>function_error</c>, ...).</param>
/// <param name="Started">When a VM began running it; null when it never ran (refused, or its VM failed to start).</param>
/// <param name="Vm">The VM's id; null when it never ran.</param>
/// <param name="Worker">The name of the worker that handled it.</param>
/// <param name="Label">
/// The highest label the invocation held, before the gate's declassification (logs are not
/// declassified output), with the invoker's privilege joined to its secrecy: the record tells
/// that the invoker invoked, which only the invoker may see.
/// </param>
public sealed record InvocationRecord(
    string Id,
    string Gate,
    string Status,
    DateTimeOffset Queued,
    DateTimeOffset? Started,
    DateTimeOffset? Finished,
    bool Cold,
    string? Vm,
    string Worker,
    Label Label)
{
    public IReadOnlyList<TrailStep> Trail { get; init; } = [];

    /// <summary>What the function wrote to stdout and stderr, up to the cap.</summary>
    public string Logs { get; init; } = "";

    /// <summary>The function wrote more than the cap; the rest is gone.</summary>
    public bool LogsTruncated { get; init; }
}

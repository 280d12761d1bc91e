using Faasten.Protocol.Invocations;
namespace Faasten.Sandbox.Vm;

/// <summary>The result of one invocation on a VM, for the worker to turn into a reply.</summary>
/// <param name="Body">
/// <see cref="InvocationStatus.Ok"/>: the function's result, UTF-8 JSON.
/// <see cref="InvocationStatus.FunctionError"/>: UTF-8 JSON
/// <c>{"error": type, "message": ..., "traceback": ...}</c>. Otherwise empty.
/// </param>
/// <param name="Message">
/// A one-line explanation for every status but Ok (e.g. "exceeded its 128 MiB memory limit").
/// Like <paramref name="Body"/>, it can be influenced by the function, so it is released only
/// under the invocation's label.
/// </param>
public sealed record InvocationOutcome(InvocationStatus Status, ReadOnlyMemory<byte> Body, string? Message)
{
    /// <summary>Wall-clock time from start to outcome.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>CloudCalls served during the invocation.</summary>
    public int CloudCalls { get; init; }

    /// <summary>
    /// What the function wrote to stdout and stderr during this invocation (UTF-8, at most the
    /// invocation's log limit). Function data: kept only under the invocation's label. Empty
    /// when the VM died or timed out before answering.
    /// </summary>
    public string Logs { get; init; } = "";

    /// <summary>The function wrote more than the limit.</summary>
    public bool LogsTruncated { get; init; }
}

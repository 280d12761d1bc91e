using System.Text;
using Faasten.Labels;

namespace Faasten.Protocol.Invocations;

/// <summary>The answer to an <see cref="InvocationRequest"/>.</summary>
/// <param name="Body">
/// Ok: the function's JSON result. FunctionError: the error and its traceback as JSON.
/// Otherwise a one-line reason. Any of them may depend on what the function read.
/// </param>
/// <param name="Label">What the body may be released under (DESIGN §3 rule 7).</param>
public sealed record InvocationReply(string Id, InvocationStatus Status, ReadOnlyMemory<byte> Body, Label Label)
{
    /// <summary>A reply that carries only a reason, e.g. a refusal made before anything was read.</summary>
    public static InvocationReply Refusal(string id, InvocationStatus status, string message, Label label) =>
        new(id, status, Encoding.UTF8.GetBytes(message), label);

    /// <summary>A reply made by a component that never saw the request's data, so it is public.</summary>
    public static InvocationReply Public(string id, InvocationStatus status, string message) =>
        Refusal(id, status, message, Label.Public);

    public string BodyText => Encoding.UTF8.GetString(Body.Span);
}

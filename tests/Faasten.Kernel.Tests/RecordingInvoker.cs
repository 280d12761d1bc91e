using System.Collections.Concurrent;
using Faasten.Labels;
using Faasten.Protocol.Invocations;

namespace Faasten.Kernel.Tests;

/// <summary>An <see cref="IInvoker"/> that records requests and answers with canned replies.</summary>
internal sealed class RecordingInvoker : IInvoker
{
    public ConcurrentQueue<InvocationRequest> Requests { get; } = new();

    /// <summary>The answer to a sync call, unless <see cref="Responder"/> gives one.</summary>
    public InvocationReply Reply { get; set; } = InvocationReply.Public("", InvocationStatus.Ok, "");

    /// <summary>The answer to an async call; its id is the request's.</summary>
    public InvocationReply SubmitReply { get; set; } = InvocationReply.Public("", InvocationStatus.Pending, "");

    public Func<InvocationRequest, InvocationReply?>? Responder { get; set; }

    public ValueTask<InvocationReply> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        return ValueTask.FromResult(request.Sync
            ? Responder?.Invoke(request) ?? Reply
            : SubmitReply with { Id = request.Id });
    }

    /// <summary>A reply as a callee's worker makes it.</summary>
    public static InvocationReply Answer(InvocationStatus status, string body = "", Label? label = null) =>
        InvocationReply.Refusal("", status, body, label ?? Label.Public);
}

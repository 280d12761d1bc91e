using System.Collections.Concurrent;
using Faasten.Protocol.V1;
using Faasten.Sandbox.Kernel;

namespace Faasten.Sandbox.Tests.Kernel;

/// <summary>An <see cref="IFunctionInvoker"/> that records requests and answers with canned replies.</summary>
internal sealed class RecordingInvoker : IFunctionInvoker
{
    public ConcurrentQueue<InvokeRequest> Requests { get; } = new();

    /// <summary>The answer to a sync call, unless <see cref="Responder"/> gives one.</summary>
    public InvokeReply Reply { get; set; } = new() { Status = InvokeStatus.Ok };

    /// <summary>The answer to an async submit; its id is the request's.</summary>
    public InvokeReply SubmitReply { get; set; } = new() { Status = InvokeStatus.Pending };

    public Func<InvokeRequest, InvokeReply?>? Responder { get; set; }

    public ValueTask<InvokeReply> InvokeAsync(InvokeRequest request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        return ValueTask.FromResult(Responder?.Invoke(request) ?? Reply.Clone());
    }

    public ValueTask<InvokeReply> SubmitAsync(InvokeRequest request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        var reply = SubmitReply.Clone();
        reply.Id = request.Id;
        return ValueTask.FromResult(reply);
    }
}

using Faasten.Protocol.V1;
using Faasten.Sandbox.Kernel;

namespace Faasten.Sandbox.Tests.Kernel;

/// <summary>An <see cref="IFunctionInvoker"/> that records requests and answers with a canned reply.</summary>
internal sealed class RecordingInvoker : IFunctionInvoker
{
    public List<InvokeRequest> Requests { get; } = [];

    public InvokeReply Reply { get; set; } = new() { Status = InvokeStatus.Ok };

    public ValueTask<InvokeReply> InvokeAsync(InvokeRequest request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        return ValueTask.FromResult(Reply.Clone());
    }

    public ValueTask<InvokeReply> SubmitAsync(InvokeRequest request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        var reply = Reply.Clone();
        reply.Id = request.Id;
        return ValueTask.FromResult(reply);
    }
}

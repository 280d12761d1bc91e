using Faasten.Protocol.V1;
using Faasten.Sandbox.Kernel;
using Google.Protobuf;

namespace Faasten.Host.Commands;

/// <summary>
/// The <c>invoke</c> CloudCall under <c>faasten run</c>: there is no scheduler or worker, so
/// calls to other functions are refused with a clear message instead of hanging.
/// </summary>
internal sealed class RunInvoker : IFunctionInvoker
{
    private static readonly ByteString Refusal =
        ByteString.CopyFromUtf8("faasten run runs a single function; invoke other functions under faasten serve");

    public ValueTask<InvokeReply> InvokeAsync(InvokeRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new InvokeReply { Id = request.Id, Status = InvokeStatus.BadRequest, Body = Refusal });

    public ValueTask<InvokeReply> SubmitAsync(InvokeRequest request, CancellationToken cancellationToken) =>
        InvokeAsync(request, cancellationToken);
}

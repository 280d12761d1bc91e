using Faasten.Protocol;
using Faasten.Protocol.V1;

namespace Faasten.Protocol;

/// <summary>
/// Serves the CloudCalls of one invocation: the seam between a VM's channel and the cloud
/// kernel. The worker makes one handler per invocation, bound to that invocation's security
/// context (current label, privilege, open blob handles), and passes it to
/// the VM (<c>IVm.InvokeAsync</c>). The channel knows nothing about the file system; the
/// handler knows nothing about frames or processes.
/// </summary>
/// <remarks>
/// <para>Requests arrive one at a time, in the order the function made them, so label changes
/// are sequential. <see cref="CloudCallRequest.CallCase"/> is never <c>None</c>: the channel
/// answers empty or unknown calls with BAD_REQUEST itself.</para>
/// <para>Return a response whose <c>result</c> is set; the channel copies the request id into
/// it. Denials are values (a <see cref="CloudCallError"/>, see <see cref="CloudCallReplies"/>),
/// never exceptions. The token fires when the invocation times out or its VM is destroyed; an
/// <see cref="OperationCanceledException"/> then ends the invocation, and a call that has not
/// returned by then is abandoned (the channel stops waiting for it), so long work should observe it. Any other exception is a
/// kernel bug: the function receives CLOUD_CALL_ERROR_CODE_INTERNAL without details.</para>
/// </remarks>
public interface ICloudCallHandler
{
    ValueTask<CloudCallResponse> HandleAsync(CloudCallRequest request, CancellationToken cancellationToken);
}

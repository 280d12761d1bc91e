using Faasten.Protocol.V1;
using Faasten.Worker;

namespace Faasten.Gateway.Hosting;

/// <summary>
/// The scheduler as the gateway's services see it. The invocation core is built after the web
/// host (it logs through the host's logger factory) and is owned by <see cref="FaastenServer"/>,
/// which drains it after Kestrel stops; registering it here by reference keeps the container
/// from disposing it a second time.
/// </summary>
internal sealed class DeferredScheduler : IInvocationScheduler
{
    private IInvocationScheduler? _target;

    public void Attach(IInvocationScheduler target) => _target = target;

    public ValueTask<InvokeReply> InvokeAsync(InvokeRequest request, CancellationToken cancellationToken = default) =>
        Target.InvokeAsync(request, cancellationToken);

    public ValueTask<InvokeReply> SubmitAsync(InvokeRequest request, CancellationToken cancellationToken = default) =>
        Target.SubmitAsync(request, cancellationToken);

    public InvokeReply? TryGetResult(string id) => Target.TryGetResult(id);

    private IInvocationScheduler Target => _target ?? throw new InvalidOperationException("the invocation core is not attached yet");
}

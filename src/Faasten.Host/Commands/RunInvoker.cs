using Faasten.Protocol.V1;
using Faasten.Sandbox.Kernel;
using Faasten.Worker;

namespace Faasten.Host.Commands;

/// <summary>
/// The <c>invoke</c> CloudCall under <c>faasten run</c>: calls go to an embedded worker over the
/// same data directory, so a function can call gates registered there. The function being run
/// holds no worker slot, so its sync calls simply take one.
/// </summary>
internal sealed class RunInvoker(IInvocationScheduler scheduler) : IFunctionInvoker
{
    public ValueTask<InvokeReply> InvokeAsync(InvokeRequest request, CancellationToken cancellationToken) =>
        scheduler.InvokeAsync(request, cancellationToken);

    public ValueTask<InvokeReply> SubmitAsync(InvokeRequest request, CancellationToken cancellationToken) =>
        scheduler.SubmitAsync(request, cancellationToken);
}

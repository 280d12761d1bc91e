using Faasten.Protocol.Invocations;
using Faasten.Protocol.V1;
using Faasten.Worker.Scheduling;

namespace Faasten.Worker.Tests.Support;

/// <summary>A runner that does whatever the test says, for scheduler tests without a worker.</summary>
internal sealed class DelegateRunner(Func<InvocationRequest, CancellationToken, Task<InvocationReply>> run) : IInvoker
{
    public async ValueTask<InvocationReply> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken) => await run(request, cancellationToken);
}

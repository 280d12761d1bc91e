using Faasten.Protocol.Invocations;

namespace Faasten.Benchmarks.Gateway;

/// <summary>Answers every invocation at once with a public <c>{}</c>: what is left is the gateway and the scheduler.</summary>
internal sealed class NoopRunner : IInvoker
{
    public ValueTask<InvocationReply> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(InvocationReply.Public(request.Id, InvocationStatus.Ok, "{}"));
}

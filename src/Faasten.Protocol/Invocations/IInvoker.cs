namespace Faasten.Protocol.Invocations;

/// <summary>
/// Where invocation requests go. The gateway, the event server and a running function's nested
/// calls send to the scheduler through it; the scheduler sends to the worker through it.
/// </summary>
/// <remarks>
/// A sync request completes with the invocation's reply; an async one with Pending and its id
/// (or a refusal such as QueueFull). Every outcome is a reply; cancelling the token abandons
/// the wait.
/// </remarks>
public interface IInvoker
{
    ValueTask<InvocationReply> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken = default);
}

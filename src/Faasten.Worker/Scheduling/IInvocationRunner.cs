using Faasten.Protocol.V1;

namespace Faasten.Worker.Scheduling;

/// <summary>
/// Runs one invoke request to completion in a worker slot. The scheduler hands requests to
/// it without looking at labels; the runner (the label-aware worker) authorizes.
/// </summary>
public interface IInvocationRunner
{
    ValueTask<InvokeReply> RunAsync(InvokeRequest request, CancellationToken cancellationToken);
}

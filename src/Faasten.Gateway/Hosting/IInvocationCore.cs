using Faasten.Worker;

namespace Faasten.Gateway.Hosting;

/// <summary>The scheduler and whatever runs its requests, owned and shut down as one.</summary>
internal interface IInvocationCore : IAsyncDisposable
{
    IInvocationScheduler Scheduler { get; }

    int Running { get; }

    int Queued { get; }

    /// <summary>Stops taking requests and waits for queued and running ones.</summary>
    Task DrainAsync(CancellationToken cancellationToken);
}

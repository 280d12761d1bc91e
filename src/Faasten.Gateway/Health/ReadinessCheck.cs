using Faasten.Fs.Storage;

namespace Faasten.Gateway.Health;

/// <summary>One thing <c>/readyz</c> probes (a store, the queue): ready when <paramref name="Probe"/> completes, unready when it throws or takes too long.</summary>
/// <param name="Name">Shown when failing; a fixed word such as <c>metadata</c>, never error text.</param>
public sealed record ReadinessCheck(string Name, Func<CancellationToken, ValueTask> Probe)
{
    // Any key will do: reading a missing one is a full round trip to the store.
    private const string ProbeKey = "ready-probe";

    /// <summary>The metadata store's check, <c>metadata</c>: every process's first.</summary>
    public static ReadinessCheck Metadata(IMetadataStore store) =>
        new("metadata", async ct => await store.GetAsync(ProbeKey, ct).ConfigureAwait(false));
}

namespace Faasten.Gateway.Health;

/// <summary>One thing <c>/readyz</c> probes (a store, the queue): ready when <paramref name="Probe"/> completes, unready when it throws or takes too long.</summary>
/// <param name="Name">Shown when failing; a fixed word such as <c>metadata</c>, never error text.</param>
public sealed record ReadinessCheck(string Name, Func<CancellationToken, ValueTask> Probe);

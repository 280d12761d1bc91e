namespace Faasten.Gateway.Health;

/// <summary>The checks of <c>/readyz</c>: the metadata store always, then the composition root's.</summary>
internal static class ReadinessChecks
{
    // Any key will do: reading a missing one is a full round trip to the store.
    private const string ProbeKey = "ready-probe";

    public static IEnumerable<ReadinessCheck> For(GatewayBackends backends)
    {
        yield return new ReadinessCheck("metadata", async ct => await backends.Metadata.GetAsync(ProbeKey, ct).ConfigureAwait(false));
        foreach (var check in backends.Readiness)
        {
            yield return check;
        }
    }
}

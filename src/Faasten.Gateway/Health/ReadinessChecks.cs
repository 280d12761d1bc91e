namespace Faasten.Gateway.Health;

/// <summary>The checks of <c>/readyz</c>: the metadata store always, then the composition root's.</summary>
internal static class ReadinessChecks
{
    public static IEnumerable<ReadinessCheck> For(GatewayBackends backends)
    {
        yield return ReadinessCheck.Metadata(backends.Metadata);
        foreach (var check in backends.Readiness)
        {
            yield return check;
        }
    }
}

namespace Faasten.Hosting.Configuration;

/// <summary>Everything a <c>faasten</c> process is configured with, validated as a whole.</summary>
public sealed record FaastenSettings
{
    /// <summary>The embedded all-in-one (and the parts a cluster process shares with it).</summary>
    public FaastenServerOptions Server { get; init; } = new();

    public ClusterEngines Cluster { get; init; } = new();

    /// <summary>HOST:PORT of the operator endpoint (metrics); never the public port. Null: off.</summary>
    public string? OperatorListen { get; init; }
}

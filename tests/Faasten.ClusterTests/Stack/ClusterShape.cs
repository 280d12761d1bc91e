namespace Faasten.ClusterTests.Stack;

/// <summary>How many processes a test cluster has, and how patient its queue is with a dead worker.</summary>
public sealed record ClusterShape
{
    public int Gateways { get; init; } = 2;

    public int Workers { get; init; } = 2;

    public int SlotsPerWorker { get; init; } = 2;

    /// <summary>The PostgreSQL server to make the cluster's database on; null: the test run's.</summary>
    public string? Postgres { get; init; }

    /// <summary>A private s3rver's endpoint (an outage test stops it); null: the test run's shared one.</summary>
    public string? S3Endpoint { get; init; }

    /// <summary>Workers serve <c>/readyz</c> and <c>/metrics</c> on an operator port of their own.</summary>
    public bool WorkerProbes { get; init; }

    /// <summary>YAML appended to every process's configuration (e.g. a short gc.interval).</summary>
    public string ExtraConfig { get; init; } = "";

    /// <summary>Short, so a killed worker's requests are redelivered within a test's patience.</summary>
    public TimeSpan AckWait { get; init; } = TimeSpan.FromSeconds(3);
}

namespace Faasten.ClusterTests.Stack;

/// <summary>How many processes a test cluster has, and how patient its queue is with a dead worker.</summary>
public sealed record ClusterShape
{
    public int Gateways { get; init; } = 2;

    public int Workers { get; init; } = 2;

    public int SlotsPerWorker { get; init; } = 2;

    /// <summary>The PostgreSQL server to make the cluster's database on; null: the test run's.</summary>
    public string? Postgres { get; init; }

    /// <summary>Short, so a killed worker's requests are redelivered within a test's patience.</summary>
    public TimeSpan AckWait { get; init; } = TimeSpan.FromSeconds(3);
}

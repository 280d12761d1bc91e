using Faasten.ClusterTests.Stack;

namespace Faasten.ClusterTests;

/// <summary>A cluster of its own for a test class that breaks it (kills, restarts), so the others never see that.</summary>
public abstract class OwnClusterFixture : IAsyncLifetime
{
    public ClusterStack Stack { get; private set; } = null!;

    protected virtual ClusterShape Shape => new() { SlotsPerWorker = 1 };

    public virtual async Task InitializeAsync()
    {
        Stack = await ClusterStack.StartAsync(Shape, "alice", "bob");
        using var alice = await Stack.SignInAsync("alice", 0);
        await ClusterFunctions.RegisterAsync(alice, "sleeper", ClusterFunctions.Sleeper, clearance: "T");
    }

    public virtual async Task DisposeAsync() => await Stack.DisposeAsync();
}

public sealed class WorkerKillFixture : OwnClusterFixture;

public sealed class GatewayRestartFixture : OwnClusterFixture;

public sealed class NatsRestartFixture : OwnClusterFixture;

using Faasten.Sandbox.Bubblewrap;

namespace Faasten.Worker.Tests.Support;

/// <summary>One real bubblewrap backend per test class; VMs run /usr/bin/python3.</summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    public static BubblewrapOptions Options { get; } = new()
    {
        PythonPath = "/usr/bin/python3",
        // Generous: test classes of several projects share two cores.
        StartTimeout = TimeSpan.FromSeconds(60),
        MaxProcesses = 32,
        TmpSizeBytes = 8L * 1024 * 1024,
    };

    internal BubblewrapBackend Backend { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Backend = new BubblewrapBackend(Options);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Backend.DisposeAsync();
}

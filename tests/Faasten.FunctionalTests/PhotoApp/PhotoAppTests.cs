using Faasten.FunctionalTests.Stack;

namespace Faasten.FunctionalTests.PhotoApp;

/// <summary>The photo-app scenario against one <c>faasten serve</c> process.</summary>
public sealed class PhotoAppTests : PhotoAppScenario
{
    private ServerProcess _server = null!;

    protected override async Task StartAsync()
    {
        var data = WorkDirectory.Combine("data");
        foreach (var user in Users)
        {
            var added = await ProcessRun.RunAsync("faasten", ["admin", "useradd", user, "--data", data], stdin: user + "-pw\n");
            Assert.True(added.ExitCode == 0, added.Stderr);
        }
        _server = await ServerProcess.StartAsync(data);
    }

    protected override Task StopAsync() => _server.DisposeAsync().AsTask();

    protected override Uri ServerFor(string user) => _server.Address;
}

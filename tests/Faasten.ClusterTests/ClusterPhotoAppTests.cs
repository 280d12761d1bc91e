using Faasten.ClusterTests.Stack;
using Faasten.FunctionalTests.PhotoApp;

namespace Faasten.ClusterTests;

/// <summary>
/// The photo-app acceptance scenario (examples/pma, registered with its own script through fstn)
/// against the cluster: alice on one gateway, bob on the other, the app's functions on whichever
/// worker pulls them. The same assertions as against <c>faasten serve</c>.
/// </summary>
public sealed class ClusterPhotoAppTests : PhotoAppScenario
{
    private ClusterStack? _stack;

    protected override async Task StartAsync() => _stack = await ClusterStack.StartAsync(new ClusterShape(), Users);

    protected override async Task StopAsync()
    {
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }
    }

    protected override Uri ServerFor(string user) =>
        _stack!.Gateways[user == "bob" ? 1 : 0] ?? throw new InvalidOperationException("gateway down");
}

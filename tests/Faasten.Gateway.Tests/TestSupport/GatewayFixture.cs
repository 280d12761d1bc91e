namespace Faasten.Gateway.Tests.TestSupport;

/// <summary>One server shared by a test class; tests use distinct paths so they do not interfere.</summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    private GatewayHarness? _harness;

    internal GatewayHarness Harness => _harness ?? throw new InvalidOperationException("fixture not started");

    public async Task InitializeAsync() => _harness = await GatewayHarness.StartAsync();

    public async Task DisposeAsync()
    {
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
    }
}

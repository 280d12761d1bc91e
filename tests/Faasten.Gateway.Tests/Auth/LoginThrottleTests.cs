using System.Net;
using System.Net.Http.Json;
using Faasten.Gateway.Auth;
using Faasten.Gateway.Tests.TestSupport;

namespace Faasten.Gateway.Tests.Auth;

/// <summary>
/// Bob guessing alice's password, sequentially, in parallel, and by spraying many names from one
/// address. Each test runs its own gateway (the throttle's counts are per server), with a window
/// long enough that it never rolls over during the test.
/// </summary>
public sealed class LoginThrottleTests : IAsyncLifetime
{
    private GatewayHarness _h = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_h is not null)
        {
            await _h.DisposeAsync();
        }
    }

    [Fact]
    public async Task WrongPasswords_PastTheUsersLimit_Are429WithRetryAfter_EvenForTheRightOne()
    {
        await StartAsync(new LoginThrottleOptions { FailuresPerUser = 3, FailuresPerAddress = 100, Window = TimeSpan.FromHours(1) });

        for (var i = 0; i < 3; i++)
        {
            await (await LoginAsync("alice", $"guess-{i}")).AssertErrorAsync(HttpStatusCode.Unauthorized, "unauthorized");
        }
        using var throttled = await LoginAsync("alice", "guess-3");
        using var right = await LoginAsync("alice", GatewayHarness.AlicePassword);

        Assert.Contains("too many failed logins", await throttled.AssertErrorAsync(HttpStatusCode.TooManyRequests, "rate_limited"), StringComparison.Ordinal);
        Assert.True(throttled.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After says when");
        await right.AssertErrorAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        // Another user from the same address is not alice.
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync("bob", GatewayHarness.BobPassword)).StatusCode);
    }

    [Fact]
    public async Task ParallelGuesses_AreCountedAsIfSequential()
    {
        await StartAsync(new LoginThrottleOptions { FailuresPerUser = 3, FailuresPerAddress = 100, Window = TimeSpan.FromHours(1) });

        var responses = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => LoginAsync("alice", $"guess-{i}")));

        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.Unauthorized));
        Assert.Equal(21, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task GuessesSprayedOverManyNames_PastTheAddressLimit_Are429()
    {
        await StartAsync(new LoginThrottleOptions { FailuresPerUser = 100, FailuresPerAddress = 5, Window = TimeSpan.FromHours(1) });

        for (var i = 0; i < 5; i++)
        {
            await (await LoginAsync($"user{i}", "guess")).AssertErrorAsync(HttpStatusCode.Unauthorized, "unauthorized");
        }

        await (await LoginAsync("user5", "guess")).AssertErrorAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        await (await LoginAsync("alice", GatewayHarness.AlicePassword)).AssertErrorAsync(HttpStatusCode.TooManyRequests, "rate_limited");
    }

    [Fact]
    public async Task SuccessfulLogins_NeverCount()
    {
        await StartAsync(new LoginThrottleOptions { FailuresPerUser = 1, FailuresPerAddress = 1, Window = TimeSpan.FromHours(1) });

        for (var i = 0; i < 12; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await LoginAsync("alice", GatewayHarness.AlicePassword)).StatusCode);
        }
    }

    [Fact]
    public void InvalidLimits_AreListed()
    {
        var errors = new GatewayOptions { LoginThrottle = new() { FailuresPerUser = 0, Window = TimeSpan.Zero, ConcurrentPerAddress = 0 } }.Validate();

        Assert.Contains(errors, e => e.Contains("FailuresPerUser", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Window", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("ConcurrentPerAddress", StringComparison.Ordinal));
    }

    private async Task StartAsync(LoginThrottleOptions throttle) => _h = await GatewayHarness.StartAsync(new GatewayOptions { LoginThrottle = throttle });

    private async Task<HttpResponseMessage> LoginAsync(string user, string password)
    {
        using var client = _h.Anonymous();
        return await client.PostAsJsonAsync("/auth/login", new { user, password });
    }
}

using System.Diagnostics;

namespace Faasten.Tests.Common;

/// <summary>Waiting in a test for what another thread or process does: poll until it holds, then assert it.</summary>
public static class Poll
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Checks <paramref name="condition"/> every 10 ms; fails the test when it has not held within <paramref name="timeout"/> (5 s unless given).</summary>
    public static Task UntilAsync(Func<bool> condition, TimeSpan? timeout = null) =>
        UntilAsync(() => new ValueTask<bool>(condition()), timeout);

    /// <inheritdoc cref="UntilAsync(Func{bool}, TimeSpan?)"/>
    public static async Task UntilAsync(Func<ValueTask<bool>> condition, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var started = Stopwatch.GetTimestamp();
        while (!await condition())
        {
            Assert.True(Stopwatch.GetElapsedTime(started) < limit, $"the condition did not hold within {limit.TotalSeconds:0.#} s");
            await Task.Delay(10);
        }
    }
}

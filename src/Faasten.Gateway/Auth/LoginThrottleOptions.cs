namespace Faasten.Gateway.Auth;

/// <summary>
/// How many wrong passwords POST /auth/login takes before it answers 429: per user name (against
/// guessing one account's password) and per client address (against spraying many accounts).
/// Both apply. Immutable; checked with <see cref="GatewayOptions.Validate"/>.
/// </summary>
public sealed record LoginThrottleOptions
{
    /// <summary>Failed logins per user name per <see cref="Window"/>.</summary>
    public int FailuresPerUser { get; init; } = 10;

    /// <summary>Failed logins per client address per <see cref="Window"/>.</summary>
    public int FailuresPerAddress { get; init; } = 30;

    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Logins of one address verified at once (one user name's are verified one at a time, so its
    /// count is exact); an address's failures may exceed <see cref="FailuresPerAddress"/> by at most this less one.
    /// </summary>
    public int ConcurrentPerAddress { get; init; } = 4;

    internal IEnumerable<string> Validate()
    {
        if (FailuresPerUser < 1 || FailuresPerAddress < 1)
        {
            yield return "LoginThrottle.FailuresPerUser and FailuresPerAddress must be at least 1";
        }

        if (Window <= TimeSpan.Zero)
        {
            yield return "LoginThrottle.Window must be positive";
        }

        if (ConcurrentPerAddress < 1)
        {
            yield return "LoginThrottle.ConcurrentPerAddress must be at least 1";
        }
    }
}

using System.Threading.RateLimiting;

namespace Faasten.Gateway.Auth;

/// <summary>
/// Throttles password guessing with the rate limiters ASP.NET Core's rate limiting is built on.
/// Only failed logins count, so a user who logs in often is never refused; a fixed window per
/// user name and per client address counts them. The user name is in the body, which the rate
/// limiting middleware's partitioners cannot read, so the throttle runs inside the endpoint.
/// </summary>
/// <remarks>
/// A check-then-count throttle would let a burst of parallel guesses all pass the check before
/// any is counted; verifications are therefore serialized per user name (and bounded per
/// address), and a guess is checked only once it may run.
/// </remarks>
internal sealed class LoginThrottle : IDisposable
{
    private const int MaxKeyChars = 256;
    private const int QueuedPerKey = 16;

    private readonly PartitionedRateLimiter<LoginAttempt> _running;
    private readonly PartitionedRateLimiter<LoginAttempt> _failures;

    public LoginThrottle(GatewayOptions options)
    {
        var limits = options.LoginThrottle;
        _running = PartitionedRateLimiter.CreateChained(
            PartitionedRateLimiter.Create<LoginAttempt, string>(a => RateLimitPartition.GetConcurrencyLimiter(a.User, _ => Concurrency(1))),
            PartitionedRateLimiter.Create<LoginAttempt, string>(a => RateLimitPartition.GetConcurrencyLimiter(a.Address, _ => Concurrency(limits.ConcurrentPerAddress))));
        _failures = PartitionedRateLimiter.CreateChained(
            PartitionedRateLimiter.Create<LoginAttempt, string>(a => RateLimitPartition.GetFixedWindowLimiter(a.User, _ => Window(limits.FailuresPerUser, limits.Window))),
            PartitionedRateLimiter.Create<LoginAttempt, string>(a => RateLimitPartition.GetFixedWindowLimiter(a.Address, _ => Window(limits.FailuresPerAddress, limits.Window))));
    }

    public static LoginAttempt Attempt(string user, string? address) =>
        new(user.Length <= MaxKeyChars ? user : user[..MaxKeyChars], address ?? "");

    /// <summary>
    /// Waits until the attempt may be verified; a null turn (with when to retry) when its user
    /// name or address used up its failures, or too many of its logins wait already.
    /// </summary>
    public async ValueTask<(IDisposable? Turn, TimeSpan RetryAfter)> EnterAsync(LoginAttempt attempt, CancellationToken cancellationToken)
    {
        var running = await _running.AcquireAsync(attempt, 1, cancellationToken).ConfigureAwait(false);
        if (!running.IsAcquired)
        {
            running.Dispose();
            return (null, TimeSpan.FromSeconds(1));
        }

        using var check = _failures.AttemptAcquire(attempt, 0);
        if (!check.IsAcquired)
        {
            running.Dispose();
            return (null, check.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1));
        }

        return (running, TimeSpan.Zero);
    }

    /// <summary>Counts a wrong password against the attempt's user name and address.</summary>
    public void Failed(LoginAttempt attempt) => _failures.AttemptAcquire(attempt, 1).Dispose();

    public void Dispose()
    {
        _running.Dispose();
        _failures.Dispose();
    }

    private static ConcurrencyLimiterOptions Concurrency(int permits) => new()
    {
        PermitLimit = permits,
        QueueLimit = QueuedPerKey * permits,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    };

    private static FixedWindowRateLimiterOptions Window(int permits, TimeSpan window) => new()
    {
        PermitLimit = permits,
        Window = window,
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    internal readonly record struct LoginAttempt(string User, string Address);
}

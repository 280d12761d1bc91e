using Faasten.Fs;
using Faasten.Gateway.Auth;
using Faasten.Gateway.Events;

namespace Faasten.Gateway;

/// <summary>Limits and lifetimes of the HTTP front-ends. Immutable; validated once at startup.</summary>
public sealed record GatewayOptions
{
    /// <summary>Lifetime of a login token and the default of a delegated one.</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The longest lifetime any token may be issued with (delegation or admin).</summary>
    public TimeSpan MaxTokenLifetime { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Largest JSON request body; more is 413.</summary>
    public int MaxJsonBytes { get; init; } = 1024 * 1024;

    /// <summary>Largest file body: files are stored inline in the metadata store; bulk data goes into blobs.</summary>
    public int MaxFileBytes { get; init; } = FileSystem.MaxFileBytes;

    /// <summary>Largest webhook delivery (GitHub caps payloads at 25 MB; real ones are far smaller).</summary>
    public int MaxHookBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Largest blob upload (<c>POST /fs/blob</c>, streamed); more is 413 and nothing is stored.</summary>
    public long MaxBlobUploadBytes { get; init; } = 1L << 30;

    /// <summary>
    /// Bytes of blob content each user may upload through the gateway, in total (delegated
    /// tokens share their user's quota); an upload that would exceed it is 413 <c>quota_exceeded</c>.
    /// Blobs are never deleted yet, so this counts every byte committed, not bytes still linked.
    /// </summary>
    public long BlobQuotaBytes { get; init; } = 10L << 30;

    /// <summary>The same quota, shared by all anonymous callers; none by default.</summary>
    public long AnonymousBlobQuotaBytes { get; init; }

    /// <summary>How long and how many webhook delivery ids are remembered to refuse replays.</summary>
    public WebhookReplayOptions WebhookReplay { get; init; } = new();

    /// <summary>How often schedules are looked at, and how far back a missed tick still fires.</summary>
    public ScheduleOptions Schedules { get; init; } = new();

    /// <summary>How many login attempts a user name and a client address may make.</summary>
    public LoginThrottleOptions LoginThrottle { get; init; } = new();

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (TokenLifetime <= TimeSpan.Zero || TokenLifetime > MaxTokenLifetime)
        {
            errors.Add("TokenLifetime must be positive and at most MaxTokenLifetime");
        }

        if (MaxJsonBytes < 1024)
        {
            errors.Add("MaxJsonBytes must be at least 1024");
        }

        if (MaxFileBytes < 1 || MaxFileBytes > FileSystem.MaxFileBytes)
        {
            errors.Add($"MaxFileBytes must be 1–{FileSystem.MaxFileBytes}");
        }

        if (MaxHookBytes < 1024)
        {
            errors.Add("MaxHookBytes must be at least 1024");
        }

        if (MaxBlobUploadBytes < 1)
        {
            errors.Add("MaxBlobUploadBytes must be at least 1");
        }

        if (BlobQuotaBytes < 0 || AnonymousBlobQuotaBytes < 0)
        {
            errors.Add("BlobQuotaBytes and AnonymousBlobQuotaBytes must not be negative");
        }

        errors.AddRange(WebhookReplay?.Validate() ?? ["WebhookReplay must be set"]);
        errors.AddRange(Schedules?.Validate() ?? ["Schedules must be set"]);
        errors.AddRange(LoginThrottle?.Validate() ?? ["LoginThrottle must be set"]);
        return errors;
    }

    /// <summary>The largest body any route except blob upload accepts: Kestrel's global backstop.</summary>
    internal long LargestBody => Math.Max(MaxJsonBytes, Math.Max(MaxFileBytes, MaxHookBytes));
}

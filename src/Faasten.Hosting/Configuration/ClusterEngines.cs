namespace Faasten.Hosting.Configuration;

/// <summary>
/// The shared engines of cluster mode (DESIGN §8): metadata on PostgreSQL, blobs on S3, the
/// invocation queue on NATS JetStream. Unset, a process uses the embedded stores and the
/// in-process queue.
/// </summary>
public sealed record ClusterEngines
{
    /// <summary>Npgsql connection string (its password, if any, is masked when printed).</summary>
    public string? Postgres { get; init; }

    public S3Blobs S3 { get; init; } = new();

    /// <summary>NATS server URL, e.g. nats://nats:4222.</summary>
    public string? Nats { get; init; }

    /// <summary>How long a queued request may go unacknowledged before it is redelivered.</summary>
    public TimeSpan AckWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest a gateway waits for a sync reply.</summary>
    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromMinutes(15);

    public bool Configured => Postgres is not null || S3.Endpoint is not null || Nats is not null;

    /// <summary>The engines a cluster process needs that are not configured, as their keys.</summary>
    public IReadOnlyList<string> Missing()
    {
        var missing = new List<string>();
        if (string.IsNullOrEmpty(Postgres))
        {
            missing.Add("metadata.postgres");
        }

        if (string.IsNullOrEmpty(S3.Endpoint) || string.IsNullOrEmpty(S3.Bucket))
        {
            missing.Add("blobs.s3.endpoint and blobs.s3.bucket");
        }

        if (string.IsNullOrEmpty(Nats))
        {
            missing.Add("queue.nats");
        }

        return missing;
    }

    /// <summary>Every problem with the queue settings (their keys), empty when usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (AckWait < TimeSpan.FromSeconds(1))
        {
            errors.Add("queue.ackWait must be at least 1s");
        }

        if (ReplyTimeout <= TimeSpan.Zero)
        {
            errors.Add("queue.replyTimeout must be positive");
        }

        return errors;
    }
}

/// <summary>An S3-protocol blob store; credentials come from the AWS SDK's standard chain, never from here.</summary>
public sealed record S3Blobs
{
    public string? Endpoint { get; init; }

    public string? Bucket { get; init; }

    public string Region { get; init; } = "us-east-1";

    /// <summary>Path-style addressing (endpoint/bucket/key), as MinIO and most self-hosted servers want.</summary>
    public bool PathStyle { get; init; } = true;
}

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

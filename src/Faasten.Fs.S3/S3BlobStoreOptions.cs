namespace Faasten.Fs.S3;

/// <summary>Where and how the S3 blob store keeps blobs. Credentials are not here: they come from the AWS SDK's chain.</summary>
public sealed record S3BlobStoreOptions
{
    /// <summary>The S3 endpoint, e.g. http://s3:9000; null is AWS itself (by <see cref="Region"/>).</summary>
    public string? Endpoint { get; init; }

    public required string Bucket { get; init; }

    public string Region { get; init; } = "us-east-1";

    /// <summary>Path-style addressing (endpoint/bucket/key), as MinIO and most self-hosted servers want.</summary>
    public bool PathStyle { get; init; } = true;

    /// <summary>Key prefix of every blob (<c>PREFIX&lt;hash&gt;</c>), so a bucket can hold other things.</summary>
    public string Prefix { get; init; } = "blobs/";

    /// <summary>
    /// Blobs up to this size are one PUT; larger ones are multipart uploads in parts of this size.
    /// S3 wants at least 5 MiB per part (except the last) and at most 10,000 parts.
    /// </summary>
    public int PartBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>
    /// Where a blob is spooled while it streams in and its hash is computed (the key is the hash,
    /// known only at the end). The spool file is unlinked as soon as it is opened, so a killed
    /// writer leaves nothing here. Null: the system temp directory.
    /// </summary>
    public string? SpoolDirectory { get; init; }

    public const int MinPartBytes = 5 * 1024 * 1024;

    /// <summary>Every problem with these options; empty when usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Bucket))
        {
            errors.Add("Bucket must be set");
        }

        if (Endpoint is not null && !Uri.TryCreate(Endpoint, UriKind.Absolute, out _))
        {
            errors.Add($"Endpoint '{Endpoint}' is not an absolute URL");
        }

        if (PartBytes < MinPartBytes)
        {
            errors.Add($"PartBytes must be at least {MinPartBytes} (S3's smallest part)");
        }

        if (Prefix is null || Prefix.StartsWith('/'))
        {
            errors.Add("Prefix must not be null or start with '/'");
        }

        return errors;
    }
}

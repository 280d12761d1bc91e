using System.Net;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Faasten.Fs.Storage;

namespace Faasten.Fs.S3;

/// <summary>
/// Blobs as objects in one S3 bucket, keyed <c>PREFIX&lt;sha256&gt;</c>. A writer spools the bytes
/// while hashing them, then uploads under the hash: one PUT, or a multipart upload completed only
/// when every part is in. S3 makes an object visible only when its PUT or its
/// CompleteMultipartUpload succeeds, so a killed writer leaves nothing under any hash (at most an
/// incomplete multipart upload, invisible to reads, which a bucket lifecycle rule aborts).
/// </summary>
public sealed class S3BlobStore : IBlobStore, IDisposable
{
    private readonly AmazonS3Client _client;

    /// <summary>A store over its own client, with credentials from the AWS SDK's standard chain (environment, profiles).</summary>
    public S3BlobStore(S3BlobStoreOptions options)
        : this(options, credentials: null)
    {
    }

    /// <param name="credentials">Explicit credentials (tests); null is the SDK's standard chain.</param>
    public S3BlobStore(S3BlobStoreOptions options, AWSCredentials? credentials)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid S3 blob store options: " + string.Join("; ", errors), nameof(options));
        }

        Options = options;
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.PathStyle,
            AuthenticationRegion = options.Region,

            // Only what S3 requires: self-hosted servers (and older gateways) reject the
            // trailing checksums the SDK adds by default.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (options.Endpoint is { } endpoint)
        {
            config.ServiceURL = endpoint;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.Region);
        }

        _client = credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(credentials, config);
    }

    internal S3BlobStoreOptions Options { get; }

    internal IAmazonS3 Client => _client;

    public IBlobWriter BeginWrite() => new S3BlobWriter(this);

    /// <summary>
    /// A seekable stream over the object: each read after a seek is a ranged GET from there on, so
    /// <c>fs_openblob</c> seeks cost one request, not a download of what lies before.
    /// </summary>
    public async ValueTask<Stream?> OpenReadAsync(string hash, CancellationToken cancellationToken = default)
    {
        var length = await GetLengthAsync(hash, cancellationToken).ConfigureAwait(false);
        return length is { } n ? new S3ReadStream(_client, Options.Bucket, KeyOf(hash), n) : null;
    }

    public async ValueTask<long?> GetLengthAsync(string hash, CancellationToken cancellationToken = default)
    {
        var head = await HeadAsync(KeyOf(hash), cancellationToken).ConfigureAwait(false);
        return head?.ContentLength;
    }

    public async IAsyncEnumerable<StoredBlob> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var request = new ListObjectsV2Request { BucketName = Options.Bucket, Prefix = Options.Prefix };
        while (true)
        {
            var page = await _client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
            foreach (var item in page.S3Objects ?? [])
            {
                var hash = item.Key[Options.Prefix.Length..];
                if (BlobHash.IsValid(hash))
                {
                    yield return new StoredBlob(hash, ToOffset(item.LastModified));
                }
            }

            if (page.IsTruncated != true || string.IsNullOrEmpty(page.NextContinuationToken))
            {
                yield break;
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    /// <remarks>
    /// S3 has no delete conditional on the modification time, so this is a HEAD then a DELETE. A
    /// commit of the same content landing between the two is lost to the delete; the collector's
    /// grace period (a blob is only a candidate once unreferenced for that long, and only if last
    /// committed before it) keeps that window to a writer re-uploading content that has been
    /// garbage for the whole grace period and linking it within the same few milliseconds.
    /// </remarks>
    public async ValueTask<bool> DeleteIfCommittedBeforeAsync(string hash, DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        var key = KeyOf(hash);
        var head = await HeadAsync(key, cancellationToken).ConfigureAwait(false);
        if (head is null || ToOffset(head.LastModified) >= cutoff)
        {
            return false;
        }

        await _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Options.Bucket, Key = key }, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Checks that the bucket answers (for readiness): true when it does.</summary>
    public async ValueTask<bool> IsReachableAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Options.Bucket, Prefix = Options.Prefix, MaxKeys = 1 }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is AmazonServiceException or HttpRequestException or IOException)
        {
            return false;
        }
    }

    public void Dispose() => _client.Dispose();

    internal string KeyOf(string hash)
    {
        BlobHash.Validate(hash);
        return Options.Prefix + hash;
    }

    private async ValueTask<GetObjectMetadataResponse?> HeadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Options.Bucket, Key = key }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static DateTimeOffset ToOffset(DateTime? time) =>
        time is { } t ? new DateTimeOffset(t.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : t.ToUniversalTime()) : DateTimeOffset.MinValue;
}

using Faasten.Fs;
using Faasten.Fs.Postgres;
using Faasten.Fs.S3;
using Faasten.Gateway.Admin;
using Faasten.Hosting.Configuration;

namespace Faasten.Hosting.Cluster;

/// <summary><see cref="GatewayAdmin"/> on a cluster's shared stores (PostgreSQL and S3), for <c>faasten admin … --config</c>.</summary>
public static class ClusterAdmin
{
    /// <summary>Creates the user record and the home facets, as <see cref="EmbeddedAdmin.AddUserAsync"/> does on a data directory.</summary>
    public static async Task<AdminResult> AddUserAsync(FaastenSettings settings, string name, string password, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var cluster = settings.Cluster;
        if (string.IsNullOrEmpty(cluster.Postgres) || string.IsNullOrEmpty(cluster.S3.Endpoint) || string.IsNullOrEmpty(cluster.S3.Bucket))
        {
            return new AdminResult(AdminStatus.BadInput, "the configuration names no cluster stores (metadata.postgres, blobs.s3.endpoint, blobs.s3.bucket)");
        }

        await using var metadata = await PostgresMetadataStore.OpenAsync(new PostgresMetadataStoreOptions { ConnectionString = cluster.Postgres }, ct).ConfigureAwait(false);
        using var blobs = new S3BlobStore(new S3BlobStoreOptions { Endpoint = cluster.S3.Endpoint, Bucket = cluster.S3.Bucket, Region = cluster.S3.Region, PathStyle = cluster.S3.PathStyle });
        var fileSystem = new FileSystem(metadata, blobs);
        await fileSystem.BootstrapAsync(ct).ConfigureAwait(false);
        return await GatewayAdmin.AddUserAsync(metadata, fileSystem, name, password, ct).ConfigureAwait(false);
    }
}

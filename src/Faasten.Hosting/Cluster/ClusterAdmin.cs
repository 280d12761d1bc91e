using Faasten.Fs;
using Faasten.Fs.Collection;
using Faasten.Fs.Postgres;
using Faasten.Fs.S3;
using Faasten.Gateway.Admin;
using Faasten.Gateway.Auth;
using Faasten.Hosting.Configuration;

namespace Faasten.Hosting.Cluster;

/// <summary>
/// <see cref="GatewayAdmin"/> on a cluster's shared stores (PostgreSQL and S3) and its shared
/// signing key file, for <c>faasten admin … --config</c>. The queue is not needed: nothing here
/// invokes. Each call opens the stores, acts, and closes them, so it is safe beside running
/// gateways and workers.
/// </summary>
public static class ClusterAdmin
{
    /// <summary>Creates the user record and the home facets, as <see cref="EmbeddedAdmin.AddUserAsync"/> does on a data directory.</summary>
    public static async Task<AdminResult> AddUserAsync(FaastenSettings settings, string name, string password, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (MissingStores(settings) is { } missing)
        {
            return missing;
        }

        await using var metadata = await OpenMetadataAsync(settings, ct).ConfigureAwait(false);
        using var blobs = OpenBlobs(settings);
        var fileSystem = new FileSystem(metadata, blobs);
        await fileSystem.BootstrapAsync(ct).ConfigureAwait(false);
        return await GatewayAdmin.AddUserAsync(metadata, fileSystem, name, password, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// A bearer token for an existing user, signed with the key file every gateway shares
    /// (<c>tokens.signingKeyFile</c>). The file must exist: a key made here would sign tokens no
    /// gateway accepts.
    /// </summary>
    public static async Task<AdminResult> IssueTokenAsync(FaastenSettings settings, string name, string? privilege, long? ttlSeconds, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (MissingStores(settings) is { } missing)
        {
            return missing;
        }

        var keyFile = settings.Server.SigningKeyFile;
        if (string.IsNullOrEmpty(keyFile))
        {
            return new AdminResult(AdminStatus.BadInput, "the configuration names no tokens.signingKeyFile (the key file every gateway signs with)");
        }

        if (!File.Exists(keyFile))
        {
            return new AdminResult(AdminStatus.BadInput, $"tokens.signingKeyFile {keyFile} does not exist: the first gateway to start creates it; copy that file here (a key made now would sign tokens no gateway accepts)");
        }

        await using var metadata = await OpenMetadataAsync(settings, ct).ConfigureAwait(false);
        return await GatewayAdmin.IssueTokenAsync(metadata, TokenSigningKey.LoadOrCreateFile(keyFile), settings.Server.Gateway, name, privilege, ttlSeconds, settings.Server.Time, ct).ConfigureAwait(false);
    }

    /// <summary>One garbage collection over the shared stores, safe beside running processes (the collector's barrier lives in the metadata store).</summary>
    public static async Task<(AdminResult Result, CollectionReport? Report)> CollectGarbageAsync(FaastenSettings settings, TimeSpan grace, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var options = new CollectorOptions { Grace = grace };
        if (options.Validate() is { Count: > 0 } errors)
        {
            return (new AdminResult(AdminStatus.BadInput, string.Join(" ", errors)), null);
        }

        if (MissingStores(settings) is { } missing)
        {
            return (missing, null);
        }

        await using var metadata = await OpenMetadataAsync(settings, ct).ConfigureAwait(false);
        using var blobs = OpenBlobs(settings);
        var report = await new GarbageCollector(new FileSystem(metadata, blobs), options).CollectAsync(ct).ConfigureAwait(false);
        return (new AdminResult(AdminStatus.Ok, report.ToString()), report);
    }

    // The engines of ClusterEngines.Missing but the queue: nothing here invokes.
    private static AdminResult? MissingStores(FaastenSettings settings)
    {
        var missing = settings.Cluster.Missing().Where(key => key != "queue.nats").ToList();
        return missing.Count == 0 ? null : new AdminResult(AdminStatus.BadInput, "the configuration names no cluster stores: " + string.Join(", ", missing) + " not set");
    }

    private static Task<PostgresMetadataStore> OpenMetadataAsync(FaastenSettings settings, CancellationToken ct) =>
        PostgresMetadataStore.OpenAsync(new PostgresMetadataStoreOptions { ConnectionString = settings.Cluster.Postgres! }, ct);

    private static S3BlobStore OpenBlobs(FaastenSettings settings) => new(ClusterStores.BlobOptions(settings.Cluster));
}

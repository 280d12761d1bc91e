using Faasten.Fs;
using Faasten.Fs.Postgres;
using Faasten.Fs.Records;
using Faasten.Fs.S3;
using Faasten.Gateway.Health;
using Faasten.Hosting.Configuration;
using Faasten.Protocol.Invocations;
using Faasten.Queue.Nats;

namespace Faasten.Hosting.Cluster;

/// <summary>
/// The engines every cluster process shares, opened in order: PostgreSQL (the labeled file
/// system's metadata and the async results, schema created idempotently), S3 (blobs), NATS
/// (the invocation stream). Invocation records, logs and trails are a table beside the
/// metadata, so any gateway lists and answers for any worker's invocations. Each is created or checked at start, so a process that starts has
/// all three, and several processes may start at once.
/// </summary>
internal sealed class ClusterStores : IAsyncDisposable
{
    private ClusterStores(PostgresMetadataStore metadata, S3BlobStore blobs, PostgresResultTable results, NatsQueue queue, SharedInvocationResults shared, InvocationRecords records)
    {
        Records = records;
        Metadata = metadata;
        Blobs = blobs;
        ResultTable = results;
        Queue = queue;
        Results = shared;
        FileSystem = new FileSystem(metadata, blobs);
    }

    public PostgresMetadataStore Metadata { get; }

    public S3BlobStore Blobs { get; }

    public FileSystem FileSystem { get; }

    public PostgresResultTable ResultTable { get; }

    public SharedInvocationResults Results { get; }

    public NatsQueue Queue { get; }

    public InvocationRecords Records { get; }

    /// <summary>
    /// What <c>/readyz</c> probes on a cluster process beside the metadata store: a HEAD of a
    /// blob no one stores (a full round trip to S3) and a ping of NATS.
    /// </summary>
    public IReadOnlyList<ReadinessCheck> Readiness => [
        new ReadinessCheck("blobs", async ct => await Blobs.GetLengthAsync(ProbeHash, ct).ConfigureAwait(false)),
        new ReadinessCheck("queue", async ct =>
        {
            if (!await Queue.IsReachableAsync(ct).ConfigureAwait(false))
            {
                throw new QueueUnavailableException("NATS does not answer a ping");
            }
        }),
    ];

    /// <summary>Metadata, blobs and queue: the readiness of a process with no gateway.</summary>
    public IReadOnlyList<ReadinessCheck> AllReadiness => [ReadinessCheck.Metadata(Metadata), .. Readiness];

    private static readonly string ProbeHash = new('0', 64);

    /// <summary>The S3 blob store <paramref name="cluster"/> names (its bucket set).</summary>
    internal static S3BlobStoreOptions BlobOptions(ClusterEngines cluster) => new()
    {
        Endpoint = cluster.S3.Endpoint,
        Bucket = cluster.S3.Bucket!,
        Region = cluster.S3.Region,
        PathStyle = cluster.S3.PathStyle,
    };

    public static async Task<ClusterStores> OpenAsync(FaastenSettings settings, string clientName, CancellationToken ct)
    {
        var cluster = settings.Cluster;
        var connection = WithKeepalive(cluster.Postgres!);
        PostgresMetadataStore? metadata = null;
        S3BlobStore? blobs = null;
        PostgresResultTable? results = null;
        NatsQueue? queue = null;
        InvocationRecords? records = null;
        try
        {
            metadata = await PostgresMetadataStore.OpenAsync(new PostgresMetadataStoreOptions { ConnectionString = connection }, ct).ConfigureAwait(false);
            results = await PostgresResultTable.OpenAsync(connection, cancellationToken: ct).ConfigureAwait(false);
            records = new InvocationRecords(
                await PostgresInvocationRecordStore.OpenAsync(new PostgresMetadataStoreOptions { ConnectionString = connection }, ct).ConfigureAwait(false),
                settings.Server.Records,
                settings.Server.Time);
            blobs = new S3BlobStore(BlobOptions(cluster));
            queue = await NatsQueue.ConnectAsync(
                new NatsQueueOptions
                {
                    Url = cluster.Nats!,
                    Capacity = settings.Server.Worker.QueueCapacity,
                    AckWait = cluster.AckWait,
                    ReplyTimeout = cluster.ReplyTimeout,
                },
                clientName,
                ct).ConfigureAwait(false);
            var stores = new ClusterStores(metadata, blobs, results, queue, new SharedInvocationResults(results, settings.Server.Worker.ResultRetention, settings.Server.Time), records);
            await stores.FileSystem.BootstrapAsync(ct).ConfigureAwait(false);
            return stores;
        }
        catch
        {
            if (records is not null)
            {
                await records.DisposeAsync().ConfigureAwait(false);
            }

            if (queue is not null)
            {
                await queue.DisposeAsync().ConfigureAwait(false);
            }

            if (results is not null)
            {
                await results.DisposeAsync().ConfigureAwait(false);
            }

            blobs?.Dispose();
            if (metadata is not null)
            {
                await metadata.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>
    /// Pooled connections are probed when idle (Npgsql's Keepalive, 5 s unless the connection
    /// string says otherwise), so after the database restarts or fails over the pool drops the dead
    /// ones by itself instead of failing a request on each.
    /// </summary>
    internal static string WithKeepalive(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (builder.KeepAlive == 0)
        {
            builder.KeepAlive = 5;
        }

        return builder.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        // Records first: the writer flushes what it holds while the database is still there.
        await Records.DisposeAsync().ConfigureAwait(false);
        await Queue.DisposeAsync().ConfigureAwait(false);
        await ResultTable.DisposeAsync().ConfigureAwait(false);
        Blobs.Dispose();
        await Metadata.DisposeAsync().ConfigureAwait(false);
    }
}

using System.Data.Common;
using Faasten.Fs.Records;
using Npgsql;

namespace Faasten.Fs.Postgres;

/// <summary>
/// The cluster's records table, beside the metadata table in the same database, so every
/// gateway answers for the invocations of every worker.
/// </summary>
public sealed class PostgresInvocationRecordStore : SqlInvocationRecordStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _insertBatch;

    private PostgresInvocationRecordStore(NpgsqlDataSource dataSource, string table)
        : base(table)
    {
        _dataSource = dataSource;
        _insertBatch = $"INSERT INTO {table} (id, gate, status, queued, started, finished, cold, vm, worker, label, trail, logs, truncated) "
            + "SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::bigint[]) "
            + "ON CONFLICT (id) DO NOTHING";
    }

    /// <summary>
    /// The whole batch in one statement (a column of arrays each): one round trip and one
    /// statement for the server however many invocations finished, where a statement per
    /// record cost a round trip each and most of the server's CPU per cluster invocation.
    /// </summary>
    public override async ValueTask WriteAsync(IReadOnlyList<InvocationRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return;
        }

        await using var command = _dataSource.CreateCommand(_insertBatch);
        Add(command, records, r => r.Id);
        Add(command, records, r => r.Gate);
        Add(command, records, r => r.Status);
        Add(command, records, r => r.Queued.ToUnixTimeMilliseconds());
        Add(command, records, r => r.Started?.ToUnixTimeMilliseconds());
        Add(command, records, r => r.Finished?.ToUnixTimeMilliseconds());
        Add(command, records, r => r.Cold ? 1L : 0L);
        Add(command, records, r => r.Vm);
        Add(command, records, r => r.Worker);
        Add(command, records, r => r.Label.ToString());
        Add(command, records, r => TrailJson(r.Trail));
        Add(command, records, r => r.Logs);
        Add(command, records, r => r.LogsTruncated ? 1L : 0L);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void Add<T>(NpgsqlCommand command, IReadOnlyList<InvocationRecord> records, Func<InvocationRecord, T> column)
    {
        var values = new T[records.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = column(records[i]);
        }

        command.Parameters.Add(new NpgsqlParameter<T[]> { TypedValue = values });
    }

    /// <summary>Connects and creates the table (<c>{schema}.{table prefix}_invocations</c>) and its indexes when missing.</summary>
    public static async Task<PostgresInvocationRecordStore> OpenAsync(PostgresMetadataStoreOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid PostgreSQL store options: " + string.Join(" ", errors), nameof(options));
        }

        var dataSource = PostgresDataSources.Create(options.ConnectionString, maxAutoPrepare: 16);
        var store = new PostgresInvocationRecordStore(dataSource, $"{options.Schema}.{options.Table}_invocations");
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

            // Index names are unqualified in PostgreSQL: they live in the table's schema.
            var statements = store.SchemaStatements("TEXT", "BIGINT")
                .Select(statement => statement.Replace($"EXISTS {options.Schema}.{options.Table}_invocations_", $"EXISTS {options.Table}_invocations_", StringComparison.Ordinal));
            await PostgresDdl.RunAsync(connection, $"\"{options.Schema}\"", statements, cancellationToken);

            return store;
        }
        catch
        {
            await dataSource.DisposeAsync();
            throw;
        }
    }

    protected override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}

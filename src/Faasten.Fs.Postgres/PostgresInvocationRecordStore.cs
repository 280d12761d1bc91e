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

    private PostgresInvocationRecordStore(NpgsqlDataSource dataSource, string table)
        : base(table)
    {
        _dataSource = dataSource;
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
            await using (var schema = connection.CreateCommand())
            {
                schema.CommandText = $"CREATE SCHEMA IF NOT EXISTS {options.Schema}";
                await schema.ExecuteNonQueryAsync(cancellationToken);
            }

            foreach (var statement in store.SchemaStatements("TEXT", "BIGINT"))
            {
                // Index names are unqualified in PostgreSQL: they live in the table's schema.
                await using var command = connection.CreateCommand();
                command.CommandText = statement.Replace($"EXISTS {options.Schema}.{options.Table}_invocations_", $"EXISTS {options.Table}_invocations_", StringComparison.Ordinal);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

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

using BenchmarkDotNet.Attributes;
using Faasten.Fs.Postgres;
using Faasten.Fs.Storage;
using Npgsql;

namespace Faasten.Benchmarks.Storage;

/// <summary>Against the server named by FAASTEN_TEST_POSTGRES; skipped with a message when it is unset.</summary>
[Config(typeof(RequiresPostgresConfig))]
public class PostgresMetadataBenchmarks : MetadataStoreBenchmarks
{
    private readonly string _table = $"bench_kv_{Environment.ProcessId}";

    protected override async Task<IMetadataStore> OpenStoreAsync() =>
        await PostgresMetadataStore.OpenAsync(new PostgresMetadataStoreOptions
        {
            ConnectionString = RequiresPostgresConfig.ConnectionString!,
            Table = _table,
        });

    protected override async Task DeleteStorageAsync()
    {
        await using var connection = new NpgsqlConnection(RequiresPostgresConfig.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP TABLE IF EXISTS {_table}", connection);
        await command.ExecuteNonQueryAsync();
    }
}

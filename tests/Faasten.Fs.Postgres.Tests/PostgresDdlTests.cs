using Faasten.Tests.Common.Postgres;

namespace Faasten.Fs.Postgres.Tests;

/// <summary>
/// Several gateways and workers starting at once on an empty database each create the same
/// schema, tables and indexes; none may fail (a CI run of the cluster suite once did, on the
/// invocation records' table: "duplicate key value violates unique constraint
/// pg_type_typname_nsp_index").
/// </summary>
public sealed class PostgresDdlTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task EveryStore_OpenedByManyProcessesAtOnce_InAMissingSchema_AllSucceed()
    {
        var options = new PostgresMetadataStoreOptions
        {
            ConnectionString = database.ConnectionString,
            Schema = $"race_{Guid.NewGuid():N}"[..20],
            Table = "faasten",
        };

        var opened = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run<IAsyncDisposable>(async () => (i % 3) switch
        {
            0 => await PostgresMetadataStore.OpenAsync(options),
            1 => await PostgresInvocationRecordStore.OpenAsync(options),
            _ => await PostgresResultTable.OpenAsync(database.ConnectionString, $"{options.Schema}_results"),
        })));

        foreach (var store in opened)
        {
            await store.DisposeAsync();
        }

        // And once more, now that everything exists.
        await (await PostgresInvocationRecordStore.OpenAsync(options)).DisposeAsync();
        await (await PostgresMetadataStore.OpenAsync(options)).DisposeAsync();
    }
}

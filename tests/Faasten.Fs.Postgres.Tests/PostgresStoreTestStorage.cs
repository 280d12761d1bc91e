using Faasten.Fs.Storage;
using Faasten.Tests.Common.Postgres;

namespace Faasten.Fs.Postgres.Tests;

/// <summary>A table of its own in the test class's database.</summary>
internal sealed class PostgresStoreTestStorage(PostgresDatabaseFixture database)
{
    public PostgresMetadataStoreOptions Options { get; } = new()
    {
        ConnectionString = database.ConnectionString,
        Table = $"kv_{Guid.NewGuid():N}",
    };

    // A new data source per store: separate pools stand in for separate processes.
    public async Task<IMetadataStore> OpenAsync() => await PostgresMetadataStore.OpenAsync(Options);
}

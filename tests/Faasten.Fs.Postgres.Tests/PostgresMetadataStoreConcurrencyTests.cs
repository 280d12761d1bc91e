using Faasten.Fs.Storage;
using Faasten.Tests.Common.Postgres;
using Faasten.Tests.Common.Storage;

namespace Faasten.Fs.Postgres.Tests;

/// <summary>Several stores, each with its own connection pool, racing on one table.</summary>
public sealed class PostgresMetadataStoreConcurrencyTests(PostgresDatabaseFixture database)
    : MetadataStoreConcurrencyTests, IClassFixture<PostgresDatabaseFixture>
{
    private readonly PostgresStoreTestStorage _storage = new(database);

    protected override Task<IMetadataStore> CreateStoreAsync() => _storage.OpenAsync();
}

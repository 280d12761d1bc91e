using Faasten.Fs.Storage;
using Faasten.Tests.Common.Postgres;
using Faasten.Tests.Common.Storage;

namespace Faasten.Fs.Postgres.Tests;

public sealed class PostgresMetadataStoreTests(PostgresDatabaseFixture database)
    : MetadataStoreConformanceTests, IClassFixture<PostgresDatabaseFixture>
{
    private readonly PostgresStoreTestStorage _storage = new(database);

    protected override Task<IMetadataStore> CreateStoreAsync() => _storage.OpenAsync();
}

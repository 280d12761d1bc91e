using Faasten.Fs.Storage;
using Faasten.Tests.Common.Fs;
using Faasten.Tests.Common.Postgres;

namespace Faasten.Fs.Postgres.Tests.Fs;

public sealed class PostgresGarbageCollectionTests(PostgresDatabaseFixture database) : GarbageCollectionTests, IClassFixture<PostgresDatabaseFixture>
{
    private readonly PostgresStoreTestStorage _storage = new(database);

    protected override Task<IMetadataStore> CreateStoreAsync() => _storage.OpenAsync();
}

using Faasten.Fs.Records;
using Faasten.Tests.Common.Postgres;
using Faasten.Tests.Common.Records;

namespace Faasten.Fs.Postgres.Tests.Records;

public sealed class PostgresInvocationRecordStoreTests(PostgresDatabaseFixture database)
    : InvocationRecordStoreConformanceTests, IClassFixture<PostgresDatabaseFixture>
{
    // A table of its own per test.
    protected override async Task<IInvocationRecordStore> OpenAsync() =>
        await PostgresInvocationRecordStore.OpenAsync(new PostgresMetadataStoreOptions { ConnectionString = database.ConnectionString, Table = $"kv_{Guid.NewGuid():N}" });
}

using Faasten.Tests.Common.Postgres;
using Npgsql;

namespace Faasten.Fs.Postgres.Tests;

public sealed class PostgresDataSourcesTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task APooledConnection_IsNotResetOnReturn_TheStoresLeaveNoSessionStateToReset()
    {
        // One connection in the pool, so the second open gets the first one back.
        await using var dataSource = PostgresDataSources.Create(database.ConnectionString + ";Maximum Pool Size=1", maxAutoPrepare: 16);
        await using (var first = await dataSource.OpenConnectionAsync())
        {
            await using var set = new NpgsqlCommand("SET application_name = 'not-reset'", first);
            await set.ExecuteNonQueryAsync();
        }

        await using var second = await dataSource.OpenConnectionAsync();
        await using var show = new NpgsqlCommand("SHOW application_name", second);
        Assert.Equal("not-reset", await show.ExecuteScalarAsync()); // a reset (RESET ALL) would have cleared it
    }

    [Fact]
    public async Task AnOperatorsAutoPrepareSetting_IsKept()
    {
        await using var kept = PostgresDataSources.Create(database.ConnectionString + ";Max Auto Prepare=3", maxAutoPrepare: 16);
        await using var defaulted = PostgresDataSources.Create(database.ConnectionString, maxAutoPrepare: 16);

        Assert.Equal(3, new NpgsqlConnectionStringBuilder(kept.ConnectionString).MaxAutoPrepare);
        Assert.Equal(16, new NpgsqlConnectionStringBuilder(defaulted.ConnectionString).MaxAutoPrepare);
    }
}

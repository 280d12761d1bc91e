using Faasten.Tests.Common.Postgres;

namespace Faasten.Fs.Postgres.Tests;

public sealed class PostgresResultTableTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Open_ManyProcessesAtOnceOnAFreshDatabase_AllSucceed()
    {
        var tables = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => PostgresResultTable.OpenAsync(database.ConnectionString, "race_results"))));

        foreach (var table in tables)
        {
            await table.DisposeAsync();
        }
    }

    [Fact]
    public async Task Complete_RecordsTheFirstReplyOnly()
    {
        await using var table = await PostgresResultTable.OpenAsync(database.ConnectionString, "once_results");
        Assert.True(await table.TryAddPendingAsync("a", Now.AddDays(1), Now));
        Assert.Equal((true, null), await table.GetAsync("a", Now));
        Assert.False(await table.IsCompleteAsync("a"));

        Assert.True(await table.CompleteAsync("a", new byte[] { 1 }, Now.AddMinutes(15)));
        Assert.False(await table.CompleteAsync("a", new byte[] { 2 }, Now.AddMinutes(15)));

        Assert.True(await table.IsCompleteAsync("a"));
        Assert.Equal(new byte[] { 1 }, (await table.GetAsync("a", Now)).Reply);

        // A recorded reply is not forgotten as a pending id would be, and its id stays taken.
        await table.RemovePendingAsync("a");
        Assert.True((await table.GetAsync("a", Now)).Found);
        Assert.False(await table.TryAddPendingAsync("a", Now.AddDays(1), Now));
    }

    [Fact]
    public async Task Expired_IsUnknown_AndSweptAway_AndItsIdFreeAgain()
    {
        await using var table = await PostgresResultTable.OpenAsync(database.ConnectionString, "expiry_results");
        Assert.True(await table.CompleteAsync("b", new byte[] { 7 }, Now.AddMinutes(15)));
        var later = Now.AddMinutes(16);

        Assert.False((await table.GetAsync("b", later)).Found);
        Assert.True(await table.TryAddPendingAsync("b", later.AddDays(1), later));
        Assert.Equal(0, await table.SweepAsync(later));
        Assert.Equal(1, await table.SweepAsync(later.AddDays(2)));
        Assert.False((await table.GetAsync("b", later)).Found);
    }

    [Fact]
    public async Task Open_BadTableName_IsRefusedBeforeAnySql()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => PostgresResultTable.OpenAsync(database.ConnectionString, "x; DROP TABLE y"));
    }
}

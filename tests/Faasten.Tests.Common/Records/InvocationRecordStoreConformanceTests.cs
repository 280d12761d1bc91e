using Faasten.Fs.Records;
using Faasten.Labels;

namespace Faasten.Tests.Common.Records;

/// <summary>
/// What every <see cref="IInvocationRecordStore"/> must do (SQLite and PostgreSQL); a backend's
/// test class says how to open a store over storage private to one test.
/// </summary>
public abstract class InvocationRecordStoreConformanceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    protected IInvocationRecordStore Store { get; private set; } = null!;

    protected abstract Task<IInvocationRecordStore> OpenAsync();

    public async Task InitializeAsync() => Store = await OpenAsync();

    public async Task DisposeAsync() => await Store.DisposeAsync();

    public static InvocationRecord Record(string id, string gate, int secondsAfter, string label = "T,T") => new(
        id, gate, "ok", T0.AddSeconds(secondsAfter), T0.AddSeconds(secondsAfter).AddMilliseconds(3), T0.AddSeconds(secondsAfter).AddMilliseconds(9), true, "vm-1", "worker-a", Label.Parse(label));

    [Fact]
    public async Task Write_ThenGet_RoundTripsEveryField()
    {
        var record = Record("a1", "home:<alice,alice>:app", 0, "alice,alice") with
        {
            Trail = [new TrailStep("payload label", Label.Parse("alice,T")), new TrailStep("read home:<alice,alice>:secret", Label.Parse("alice,T"))],
            Logs = "hello\nwörld\n",
            LogsTruncated = true,
        };

        await Store.WriteAsync([record]);
        var read = await Store.GetAsync("a1");

        Assert.NotNull(read);
        Assert.Equal(record.Id, read.Id);
        Assert.Equal(record.Gate, read.Gate);
        Assert.Equal(record.Status, read.Status);
        Assert.Equal(record.Queued, read.Queued);
        Assert.Equal(record.Started, read.Started);
        Assert.Equal(record.Finished, read.Finished);
        Assert.True(read.Cold);
        Assert.Equal("vm-1", read.Vm);
        Assert.Equal("worker-a", read.Worker);
        Assert.Equal(record.Label, read.Label);
        Assert.Equal(record.Trail, read.Trail);
        Assert.Equal("hello\nwörld\n", read.Logs);
        Assert.True(read.LogsTruncated);
    }

    [Fact]
    public async Task Write_RecordThatNeverRan_KeepsNulls()
    {
        await Store.WriteAsync([Record("n1", "g", 0) with { Started = null, Vm = null, Cold = false }]);

        var read = await Store.GetAsync("n1");

        Assert.NotNull(read);
        Assert.Null(read.Started);
        Assert.Null(read.Vm);
        Assert.False(read.Cold);
    }

    [Fact]
    public async Task Get_Unknown_IsNull()
    {
        Assert.Null(await Store.GetAsync("nope"));
    }

    [Fact]
    public async Task Write_ABatch_StoresEveryRecord_AndTheFirstOfAnIdTwiceInIt()
    {
        var batch = Enumerable.Range(0, 300)
            .Select(i => Record($"b{i:D3}", "g" + (i % 7), i) with { Started = i % 2 == 0 ? null : T0, Vm = i % 3 == 0 ? null : "vm-" + i, Logs = "log " + i })
            .Append(Record("b000", "again", 0))
            .ToList();

        await Store.WriteAsync(batch);

        for (var i = 0; i < 300; i += 37)
        {
            var read = await Store.GetAsync($"b{i:D3}");
            Assert.NotNull(read);
            Assert.Equal("g" + (i % 7), read.Gate);
            Assert.Equal(i % 2 == 0 ? null : T0, read.Started);
            Assert.Equal(i % 3 == 0 ? null : "vm-" + i, read.Vm);
            Assert.Equal("log " + i, read.Logs);
        }

        Assert.Equal(300, (await Store.ListAsync(null, null, 1000)).Count);
    }

    [Fact]
    public async Task Write_SameIdTwice_KeepsTheFirst()
    {
        await Store.WriteAsync([Record("d1", "first", 0)]);
        await Store.WriteAsync([Record("d1", "second", 1)]);

        Assert.Equal("first", (await Store.GetAsync("d1"))!.Gate);
    }

    [Fact]
    public async Task List_IsNewestFirst_PagedByCursor_WithoutLogs()
    {
        await Store.WriteAsync([.. Enumerable.Range(0, 5).Select(i => Record($"r{i}", "g", i) with { Logs = "secret output" })]);

        var first = await Store.ListAsync(null, null, 2);
        var second = await Store.ListAsync(null, RecordCursor.After(first[^1]), 2);
        var third = await Store.ListAsync(null, RecordCursor.After(second[^1]), 2);

        Assert.Equal(["r4", "r3"], first.Select(r => r.Id));
        Assert.Equal(["r2", "r1"], second.Select(r => r.Id));
        Assert.Equal(["r0"], third.Select(r => r.Id));
        Assert.All(first, r => Assert.Equal("", r.Logs));
    }

    [Fact]
    public async Task List_SameQueueTime_OrdersById()
    {
        await Store.WriteAsync([Record("b", "g", 0), Record("a", "g", 0), Record("c", "g", 0)]);

        var page = await Store.ListAsync(null, null, 2);
        var rest = await Store.ListAsync(null, RecordCursor.After(page[^1]), 10);

        Assert.Equal(["c", "b"], page.Select(r => r.Id));
        Assert.Equal(["a"], rest.Select(r => r.Id));
    }

    [Fact]
    public async Task List_ByGate_ShowsOnlyThatGate()
    {
        await Store.WriteAsync([Record("x1", "gate:x", 0), Record("y1", "gate:y", 1), Record("x2", "gate:x", 2)]);

        var page = await Store.ListAsync("gate:x", null, 10);
        var after = await Store.ListAsync("gate:x", RecordCursor.After(page[0]), 10);

        Assert.Equal(["x2", "x1"], page.Select(r => r.Id));
        Assert.Equal(["x1"], after.Select(r => r.Id));
    }

    [Fact]
    public async Task Prune_DeletesOnlyOlderRecords()
    {
        await Store.WriteAsync([Record("old", "g", 0), Record("new", "g", 60)]);

        var deleted = await Store.PruneAsync(T0.AddSeconds(30));

        Assert.Equal(1, deleted);
        Assert.Null(await Store.GetAsync("old"));
        Assert.NotNull(await Store.GetAsync("new"));
    }
}

using Faasten.Fs.Records;
using Faasten.Tests.Common;
using Faasten.Tests.Common.Records;

namespace Faasten.Fs.Tests.Records;

public sealed class InvocationRecordsTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly ManualTimeProvider _time = new();
    private InvocationRecords _records = null!;

    public async Task InitializeAsync() =>
        _records = new InvocationRecords(await SqliteInvocationRecordStore.OpenAsync(_directory.Combine("m.db")), new InvocationRecordsOptions { Retention = TimeSpan.FromHours(1) }, _time);

    public async Task DisposeAsync() => await _records.DisposeAsync();

    public void Dispose() => _directory.Dispose();

    private InvocationRecord At(string id, TimeSpan ago) =>
        InvocationRecordStoreConformanceTests.Record(id, "g", 0) with { Queued = _time.GetUtcNow() - ago };

    [Fact]
    public async Task Add_IsReadableAtOnce_AndAfterItIsStored()
    {
        _records.Add(At("a", TimeSpan.Zero) with { Logs = "out" });

        Assert.Equal("out", (await _records.GetAsync("a"))!.Logs);
        await _records.FlushAsync();
        Assert.Equal(0, _records.Pending);
        Assert.Equal("out", (await _records.GetAsync("a"))!.Logs);
    }

    [Fact]
    public async Task List_MergesWaitingAndStored_NewestFirst_WithoutLogs()
    {
        _records.Add(At("old", TimeSpan.FromMinutes(2)));
        await _records.FlushAsync();
        _records.Add(At("new", TimeSpan.FromMinutes(1)) with { Logs = "x" });

        var page = await _records.ListAsync(null, null, 10);

        Assert.Equal(["new", "old"], page.Select(r => r.Id));
        Assert.All(page, r => Assert.Equal("", r.Logs));
    }

    [Fact]
    public async Task PastRetention_IsNeitherReadNorListed()
    {
        _records.Add(At("expired", TimeSpan.FromHours(2)));
        _records.Add(At("kept", TimeSpan.FromMinutes(1)));
        await _records.FlushAsync();

        Assert.Null(await _records.GetAsync("expired"));
        Assert.Equal(["kept"], (await _records.ListAsync(null, null, 10)).Select(r => r.Id));
    }

    [Fact]
    public async Task Add_PastMaxPending_DropsAndCounts()
    {
        var store = new BlockedStore();
        await using var records = new InvocationRecords(store, new InvocationRecordsOptions { MaxPending = 2 }, _time);

        Assert.True(records.Add(At("1", TimeSpan.Zero)));
        Assert.True(records.Add(At("2", TimeSpan.Zero)));
        Assert.False(records.Add(At("3", TimeSpan.Zero)));

        Assert.Equal(1, records.Dropped);
        Assert.Null(await records.GetAsync("3"));
        store.Release();
    }

    [Fact]
    public void Options_OutOfRange_AreRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new InvocationRecords(new BlockedStore(), new InvocationRecordsOptions { Retention = TimeSpan.Zero, MaxLogBytes = -1 }));

        Assert.Contains("Retention", e.Message, StringComparison.Ordinal);
        Assert.Contains("MaxLogBytes", e.Message, StringComparison.Ordinal);
    }

    /// <summary>A store whose writes never finish, so records stay waiting.</summary>
    private sealed class BlockedStore : IInvocationRecordStore
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _released.TrySetResult();

        public async ValueTask WriteAsync(IReadOnlyList<InvocationRecord> records, CancellationToken cancellationToken = default) => await _released.Task.WaitAsync(cancellationToken);

        public ValueTask<InvocationRecord?> GetAsync(string id, CancellationToken cancellationToken = default) => ValueTask.FromResult<InvocationRecord?>(null);

        public ValueTask<IReadOnlyList<InvocationRecord>> ListAsync(string? gate, RecordCursor? after, int count, CancellationToken cancellationToken = default) => ValueTask.FromResult<IReadOnlyList<InvocationRecord>>([]);

        public ValueTask<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken = default) => ValueTask.FromResult(0);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

using System.Text;
using Faasten.Fs;
using Faasten.Fs.Postgres;
using Faasten.Fs.Storage;
using Faasten.Gateway.Events;
using Faasten.Gateway.Tests.TestSupport;
using Faasten.Labels;
using Faasten.Protocol.Invocations;
using Faasten.Tests.Common;
using Faasten.Tests.Common.Postgres;
using Microsoft.Extensions.Logging.Abstractions;

namespace Faasten.Gateway.Tests.Events;

/// <summary>
/// Schedules fire once per tick however many gateway processes share the metadata store: two
/// runners, each over a file system of its own on one store, poll the same ticks at once.
/// Their invocations go to <see cref="ScriptedRunner"/>, which resolves and authorizes the
/// gate through the monitor as the worker does.
/// </summary>
public abstract class ScheduleRunnerTests : IAsyncLifetime
{
    private const string Home = "home:<T,alice>";
    private readonly TempDirectory _dir = new("fsched");
    private readonly ManualTimeProvider _clock = new();
    private readonly List<IMetadataStore> _stores = [];
    private FileSystem _one = null!;
    private FileSystem _two = null!;
    private ScriptedRunner _invoker = null!;

    protected abstract Task<IMetadataStore> OpenStoreAsync(TempDirectory dir);

    public async Task InitializeAsync()
    {
        var blobs = new LocalBlobStore(_dir.Combine("blobs"));
        _stores.Add(await OpenStoreAsync(_dir));
        _stores.Add(await OpenStoreAsync(_dir));
        (_one, _two) = (new FileSystem(_stores[0], blobs, _clock), new FileSystem(_stores[1], blobs, _clock));
        await _one.BootstrapAsync();
        await _two.BootstrapAsync();
        var super = new SecurityContext(Component.False);
        foreach (var user in new[] { "alice", "bob" })
        {
            Assert.True((await _one.AddUserAsync(super, user)).IsOk);
        }

        await using (var writer = blobs.BeginWrite())
        {
            await writer.WriteAsync(Encoding.UTF8.GetBytes(ScriptedRunner.ImageMagic + "echo"));
            Assert.True((await _one.LinkBlobAsync(super, $"{Home}:echo.img", await writer.CommitAsync(), Label.Parse("T,alice"))).IsOk);
        }

        var alice = new SecurityContext(Component.Parse("alice"));
        var hash = (await _one.ResolveImageAsync(alice, $"{Home}:echo.img")).Value!;
        Assert.True((await _one.CreateGateAsync(alice, $"{Home}:echo", Component.Parse("alice"), Component.Parse("alice"), new Faasten.Fs.Objects.FunctionSpec(hash), label: Label.Parse("T,alice"))).IsOk);
        _invoker = new ScriptedRunner(_one);
    }

    [Fact]
    public async Task TwoRunnersOverOneStore_FireEachTickOnce()
    {
        Assert.True((await CreateAsync(Alice(), "* * * * *", "alice")).IsOk);
        var (a, b) = (Runner(_one), Runner(_two));

        var fired = 0;
        for (var minute = 0; minute < 3; minute++)
        {
            _clock.Advance(TimeSpan.FromMinutes(1));
            var counts = await Task.WhenAll(a.RunOnceAsync(default), b.RunOnceAsync(default), a.RunOnceAsync(default), b.RunOnceAsync(default));
            Assert.Equal(1, counts.Sum());
            fired += counts.Sum();
        }

        Assert.Equal(3, fired);
        Assert.Equal(3, _invoker.Received.Count);
        Assert.All(_invoker.Received, r =>
        {
            Assert.Equal("alice", r.InvokerPrivilege.ToString());
            Assert.Equal($"{Home}:echo", r.GatePath);
            Assert.Equal("""{"tick":true}""", Encoding.UTF8.GetString(r.Payload.Span));
            Assert.False(r.Sync);
        });
        Assert.Equal(3, _invoker.Completed.Count);
    }

    [Fact]
    public async Task TicksBeforeCreation_AndPastTheLookback_DoNotFire()
    {
        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.True((await CreateAsync(Alice(), "* * * * *", "alice")).IsOk);
        // Created 30 s after a tick: that tick is before its creation.
        Assert.Equal(0, await Runner(_one).RunOnceAsync(default));

        // Nobody polled for ten minutes: only ticks within the lookback (2 minutes) fire.
        _clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(2, await Runner(_two).RunOnceAsync(default));
        Assert.Equal(0, await Runner(_one).RunOnceAsync(default));
    }

    [Fact]
    public async Task UnlinkedSchedule_StopsFiring()
    {
        Assert.True((await CreateAsync(Alice(), "* * * * *", "alice")).IsOk);
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await Runner(_one).RunOnceAsync(default));

        Assert.True((await _one.DeleteAsync(Alice(), $"{Home}:nightly")).IsOk);
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, await Runner(_two).RunOnceAsync(default));
        // Another object at the same path is not the schedule that was indexed.
        Assert.True((await CreateAsync(Alice(), "0 0 1 1 *", "alice")).IsOk);
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, await Runner(_one).RunOnceAsync(default));
    }

    [Fact]
    public async Task ScheduleUnlinkedByAnotherProcess_StopsFiringAtOnce_InARunnerWhoseCacheHeldIt()
    {
        // Both processes' entry caches hold the schedule's entry (each has found it), then one
        // process unlinks it: once the unlink returns, the other's warm cache must not fire it.
        Assert.True((await CreateAsync(Alice(), "* * * * *", "alice")).IsOk);
        Assert.Equal(0, await Runner(_one).RunOnceAsync(default));
        Assert.Equal(0, await Runner(_two).RunOnceAsync(default));

        Assert.True((await _one.DeleteAsync(Alice(), $"{Home}:nightly")).IsOk);
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, await Runner(_two).RunOnceAsync(default));
        Assert.Empty(_invoker.Received);
    }

    [Fact]
    public async Task Bob_CannotScheduleWithAlicesPrivilege()
    {
        var denied = await _one.CreateScheduleAsync(Bob(), "home:<T,bob>:steal", "* * * * *", $"{Home}:echo", Component.Parse("alice"), Label.Public, "null"u8.ToArray());
        Assert.Equal(FsStatus.PrivilegeDenied, denied.Status);

        // His own privilege does not pass the gate's clearance (alice): the firing is refused by the worker's check.
        Assert.True((await _one.CreateScheduleAsync(Bob(), "home:<T,bob>:try", "* * * * *", $"{Home}:echo", Component.Parse("bob"), Label.Public, "null"u8.ToArray())).IsOk);
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await Runner(_one).RunOnceAsync(default));
        Assert.Equal("bob", Assert.Single(_invoker.Received).InvokerPrivilege.ToString());
        Assert.Empty(_invoker.Completed);
    }

    [Fact]
    public async Task ScheduleCreatedAfterReadingASecret_FiresAtTheSecretsLabel()
    {
        var super = new SecurityContext(Component.False);
        Assert.True((await _one.CreateFileAsync(super, "home:<alice,alice>:diary", Label.Parse("alice,alice"), "secret"u8.ToArray())).IsOk);
        var tainted = Bob();
        Assert.True((await _one.ReadFileAsync(tainted, "home:<alice,alice>:diary")).IsOk);

        // What bob's computation wrote now depends on alice's secret: it may not be labeled public...
        var leak = await _one.CreateScheduleAsync(tainted, "home:<T,bob>:leak", "* * * * *", "home:<T,bob>:anything", Component.Parse("bob"), Label.Public, "null"u8.ToArray());
        Assert.Equal(FsStatus.LabelDenied, leak.Status);

        // ...nor linked where bob could see it; labeled alice in a directory at alice's label, it fires at that label.
        var ok = await _one.CreateScheduleAsync(new SecurityContext(Component.Parse("alice"), Label.Parse("alice,T")), "home:<alice,alice>:kept", "* * * * *", $"{Home}:echo", Component.Parse("alice"), Label.Parse("alice,T"), "null"u8.ToArray());
        Assert.True(ok.IsOk, ok.ToString());
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await Runner(_two).RunOnceAsync(default));
        Assert.Equal("alice,T", Assert.Single(_invoker.Received).PayloadLabel.ToString());
    }

    [Fact]
    public async Task ScheduleLinkedInASecretDirectory_FiresAtThatDirectorysLabel()
    {
        // Bob links a public-payload schedule in a directory labeled alice,T: anyone at alice's
        // label may unlink it there, so whether it keeps firing is alice's secret. A computation
        // of bob's function run by alice on her data unlinks it or not; bob's gate must not see
        // the difference at any label bob can read.
        Assert.True((await _one.CreateDirectoryAsync(Bob(), "home:<T,bob>:drop", Label.Parse("alice,T"))).IsOk);
        var created = await _one.CreateScheduleAsync(Bob(), "home:<T,bob>:drop:beacon", "* * * * *", $"{Home}:echo", Component.Parse("bob"), Label.Public, "null"u8.ToArray());
        Assert.True(created.IsOk, created.ToString());

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await Runner(_one).RunOnceAsync(default));
        var firing = Assert.Single(_invoker.Received).PayloadLabel;
        Assert.False(firing.CanFlowTo(Label.Public, Component.Parse("bob")), $"a firing labeled {firing} is observable by bob");

        var aliceData = new SecurityContext(Component.Parse("bob"), Label.Parse("alice,T"));
        Assert.True((await _one.DeleteAsync(aliceData, "home:<T,bob>:drop:beacon")).IsOk);
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, await Runner(_two).RunOnceAsync(default));
    }

    /// <summary>
    /// A schedule whose walk joins more labels than the limits allow (here: its directory is
    /// hard-linked under 64 directories of distinct secrecy, and its index points there) is
    /// skipped; it must not end the poll, or whether every other schedule fires would depend
    /// on directories they never read.
    /// </summary>
    [Fact]
    public async Task ScheduleWhoseWalkIsTooLargeToLabel_IsSkipped_AndOthersStillFire()
    {
        var super = new SecurityContext(Component.False);
        var chain = Home;
        for (var i = 1; i <= 64; i++)
        {
            chain += $":c{i}";
            Assert.True((await _one.CreateDirectoryAsync(new SecurityContext(Component.False), chain, Label.Parse($"p{i},T"))).IsOk);
        }

        Assert.True((await _one.CreateDirectoryAsync(super, $"{Home}:d", Label.Parse("p65,T"))).IsOk);
        Assert.True((await _one.CreateScheduleAsync(new SecurityContext(Component.False), $"{Home}:d:deep", "* * * * *", $"{Home}:echo", Component.Parse("alice"), Label.Public, "null"u8.ToArray())).IsOk);
        var (key, _) = await _stores[0].ScanAsync("sched/idx/").SingleAsync();
        Assert.True((await _one.HardLinkAsync(new SecurityContext(Component.False), $"{Home}:d", $"{chain}:d")).IsOk);
        var moved = $$"""{"p":"{{chain}}:d:deep","c":"F","t":0}""";
        await _stores[0].PutAsync(key, Encoding.UTF8.GetBytes(moved));

        Assert.True((await CreateAsync(Alice(), "* * * * *", "alice")).IsOk);
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await Runner(_two).RunOnceAsync(default));
        Assert.Equal($"{Home}:echo", Assert.Single(_invoker.Received).GatePath);
    }

    [Fact]
    public async Task ScheduleInTheCreatorsOwnPrivateFacet_IsDeclassifiedByItsPrivilege()
    {
        // The schedule's privilege (bob) can declassify bob's own facet: its firing stays public.
        Assert.True((await _one.CreateScheduleAsync(Bob(), "~:mine", "* * * * *", $"{Home}:echo", Component.Parse("bob"), Label.Public, "null"u8.ToArray())).IsOk);
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await Runner(_one).RunOnceAsync(default));
        var firing = Assert.Single(_invoker.Received).PayloadLabel;
        Assert.True(firing.CanFlowTo(Label.Public, Component.Parse("bob")), firing.ToString());
    }

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        _dir.Dispose();
    }

    private static SecurityContext Alice() => new(Component.Parse("alice"));

    private static SecurityContext Bob() => new(Component.Parse("bob"));

    private ValueTask<FsResult> CreateAsync(SecurityContext ctx, string cron, string privilege) =>
        _one.CreateScheduleAsync(ctx, $"{Home}:nightly", cron, $"{Home}:echo", Component.Parse(privilege), Label.Public, """{"tick":true}"""u8.ToArray(), Label.Parse("T,alice"));

    private ScheduleRunner Runner(FileSystem fs) => new(fs, _invoker, _clock, new GatewayOptions(), NullLogger<ScheduleRunner>.Instance);
}

public sealed class SqliteScheduleRunnerTests : ScheduleRunnerTests
{
    protected override Task<IMetadataStore> OpenStoreAsync(TempDirectory dir) =>
        Task.FromResult<IMetadataStore>(SqliteMetadataStore.Open(dir.Combine("metadata.db")));
}

public sealed class PostgresScheduleRunnerTests(PostgresDatabaseFixture database) : ScheduleRunnerTests, IClassFixture<PostgresDatabaseFixture>
{
    private readonly string _table = $"kv_{Guid.NewGuid():N}";

    protected override async Task<IMetadataStore> OpenStoreAsync(TempDirectory dir) =>
        await PostgresMetadataStore.OpenAsync(new PostgresMetadataStoreOptions { ConnectionString = database.ConnectionString, Table = _table });
}

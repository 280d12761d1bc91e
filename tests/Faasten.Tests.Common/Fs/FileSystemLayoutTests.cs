using System.Text;
using Faasten.Fs;
using Faasten.Fs.Monitor;
using Faasten.Fs.Objects;
using Faasten.Fs.Storage;
using Faasten.Labels;
using Faasten.Tests.Common.Storage;

namespace Faasten.Tests.Common.Fs;

/// <summary>Directory entries and facets as keys of their own, paged listings, and converting a store of the old layout.</summary>
public abstract class FileSystemLayoutTests : FileSystemStoreTestBase
{
    [Fact]
    public async Task Link_TouchesOneEntryKey_NotTheDirectoryRecord()
    {
        Assert.Equal(FsResult.Ok, await Fs.CreateDirectoryAsync(Alice(), $"{AliceHome}:d", Private));
        var dir = await IdOfAsync($"{AliceHome}:d");
        var before = (await Store.GetAsync(dir.StoreKey))!.Value;

        Assert.Equal(FsResult.Ok, await Fs.CreateFileAsync(Alice(), $"{AliceHome}:d:f", Private));
        Assert.Equal(FsResult.Ok, await Fs.DeleteAsync(Alice(), $"{AliceHome}:d:f"));
        Assert.Equal(FsResult.Ok, await Fs.CreateFileAsync(Alice(), $"{AliceHome}:d:g", Private));

        var after = (await Store.GetAsync(dir.StoreKey))!.Value;
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(before.Value, after.Value);
        Assert.NotNull(await Store.GetAsync(FsKeys.Entry(dir, "g")));
        Assert.Null(await Store.GetAsync(FsKeys.Entry(dir, "f")));
    }

    [Fact]
    public async Task ManyWritersLinkingDistinctNames_FromSeveralStores_AllSucceedAndNoneIsLost()
    {
        Assert.Equal(FsResult.Ok, await Fs.CreateDirectoryAsync(Alice(), $"{AliceHome}:shared", Private));
        var systems = new[] { Fs, await OpenFileSystemAsync(), await OpenFileSystemAsync() };
        const int writersPerSystem = 4, each = 40;

        var results = await Task.WhenAll(systems.SelectMany((fs, s) => Enumerable.Range(0, writersPerSystem).Select(w => Task.Run(async () =>
        {
            var outcomes = new List<FsResult>();
            for (var i = 0; i < each; i++)
            {
                outcomes.Add(await fs.CreateFileAsync(Alice(), $"{AliceHome}:shared:s{s}-w{w}-{i}", Private));
            }

            return outcomes;
        }))));

        // Not one conflict: every link of a distinct name succeeds at its first attempt's outcome.
        Assert.All(results.SelectMany(r => r), r => Assert.Equal(FsResult.Ok, r));
        var listed = (await systems[1].ListAsync(Alice(), $"{AliceHome}:shared")).Value!.Select(e => e.Name).ToList();
        Assert.Equal(systems.Length * writersPerSystem * each, listed.Distinct().Count());
        Assert.Equal(listed.Count, listed.Distinct().Count());
    }

    /// <summary>
    /// Another server unlinks or replaces an entry that this one has just resolved (and so
    /// cached): the next resolution here sees the change, because the unlink advanced the
    /// epoch the walk reads first.
    /// </summary>
    [Fact]
    public async Task Resolve_AfterAnotherStoreUnlinksOrReplacesAnEntry_SeesTheChangeAtOnce()
    {
        var other = await OpenFileSystemAsync();
        Assert.Equal(FsResult.Ok, await Fs.CreateDirectoryAsync(Alice(), $"{AliceHome}:d", Private));
        Assert.Equal(FsResult.Ok, await Fs.CreateFileAsync(Alice(), $"{AliceHome}:d:x", Private, "old"u8.ToArray()));
        Assert.Equal("old"u8.ToArray(), (await Fs.ReadFileAsync(Alice(), $"{AliceHome}:d:x")).Value);

        Assert.Equal(FsResult.Ok, await other.DeleteAsync(Alice(), $"{AliceHome}:d:x"));
        Assert.Equal(FsStatus.NotFound, (await Fs.ReadFileAsync(Alice(), $"{AliceHome}:d:x")).Status);

        // Relinked under the same name at a label alice cannot read: the old, readable object
        // must not be served from anything remembered.
        Assert.Equal(FsResult.Ok, await other.CreateFileAsync(Alice(), $"{AliceHome}:d:x", L("alice&bob,alice"), "new"u8.ToArray()));
        var reader = Alice();
        Assert.Equal("new"u8.ToArray(), (await Fs.ReadFileAsync(reader, $"{AliceHome}:d:x")).Value);
        Assert.Equal(L("alice&bob,alice").Secrecy, reader.Label.Secrecy);

        Assert.Equal(FsResult.Ok, await other.DeleteAsync(Alice(), $"{AliceHome}:d"));
        Assert.Equal(FsStatus.NotFound, (await Fs.ReadFileAsync(Alice(), $"{AliceHome}:d:x")).Status);
    }

    /// <summary>
    /// An authorization decision from a warm cache: this server has resolved a gate anyone may
    /// invoke; another server unlinks it and links a gate only alice may invoke under the same
    /// name. Once that returns, bob's resolution here must be refused by the new clearance, not
    /// authorized by the remembered entry.
    /// </summary>
    [Fact]
    public async Task GateReplacedOnAnotherServer_IsAuthorizedByItsNewClearance_NotTheCachedEntry()
    {
        var other = await OpenFileSystemAsync();
        var alice = Component.Parse("alice");
        var image = await PutBlobAsync("image"u8.ToArray());
        var path = "home:<T,alice>:g";
        Assert.Equal(FsResult.Ok, await Fs.CreateGateAsync(Alice(), path, alice, Component.True, new FunctionSpec(image), label: L("T,alice")));
        var bob = new SecurityContext(Component.Parse("bob"));
        var warm = await Fs.ResolveGateAsync(bob, path);
        Assert.True(warm.IsOk, warm.ToString());
        Assert.True(bob.Privilege.Implies(warm.Value!.Clearance));

        Assert.Equal(FsResult.Ok, await other.DeleteAsync(Alice(), path));
        Assert.Equal(FsResult.Ok, await other.CreateGateAsync(Alice(), path, alice, alice, new FunctionSpec(image), label: L("T,alice")));

        var now = await Fs.ResolveGateAsync(new SecurityContext(Component.Parse("bob")), path);
        Assert.True(now.IsOk, now.ToString());
        Assert.Equal(alice, now.Value!.Clearance);
        Assert.False(Component.Parse("bob").Implies(now.Value.Clearance));
    }

    [Fact]
    public async Task WarmWalk_OfFiveComponents_CostsOneStoreRead()
    {
        foreach (var dir in new[] { "a", "a:b", "a:b:c" })
        {
            Assert.Equal(FsResult.Ok, await Fs.CreateDirectoryAsync(Alice(), $"{AliceHome}:{dir}", Private));
        }

        var counting = new CountingMetadataStore(await OpenStoreAsync());
        var fs = new FileSystem(counting, Blobs, Clock);
        await fs.BootstrapAsync();
        var path = $"{AliceHome}:a:b:c";

        counting.Reset();
        Assert.True((await fs.StatAsync(Alice(), path)).IsOk);
        var cold = counting.Gets;

        counting.Reset();
        Assert.True((await fs.StatAsync(Alice(), path)).IsOk);
        Assert.Equal(1, counting.Gets); // the unlink epoch; every entry and record comes from the caches
        Assert.True(cold >= 5, $"a cold walk read {cold} keys");

        // Any unlink anywhere, by another server, makes the next walk read its entries again.
        Assert.Equal(FsResult.Ok, await Fs.CreateFileAsync(Alice(), $"{AliceHome}:elsewhere", Private));
        Assert.Equal(FsResult.Ok, await Fs.DeleteAsync(Alice(), $"{AliceHome}:elsewhere"));
        counting.Reset();
        Assert.True((await fs.StatAsync(Alice(), path)).IsOk);
        Assert.True(counting.Gets > 1);
    }

    [Fact]
    public async Task WarmWalk_ToAFile_ReadsTheEpochAndTheRecordInOneCall_AndTaintsLikeTheFullWalk()
    {
        var secret = L("alice&carol,alice");
        Assert.Equal(FsResult.Ok, await Fs.CreateDirectoryAsync(Alice(), $"{AliceHome}:a", Private));
        Assert.Equal(FsResult.Ok, await Fs.CreateDirectoryAsync(Alice(), $"{AliceHome}:a:b", secret));
        Assert.Equal(FsResult.Ok, await Fs.CreateFileAsync(Alice(), $"{AliceHome}:a:b:f", secret, "0"u8.ToArray()));
        var counting = new CountingMetadataStore(await OpenStoreAsync());
        var fs = new FileSystem(counting, Blobs, Clock);
        await fs.BootstrapAsync();
        var path = $"{AliceHome}:a:b:f";

        var cold = Alice();
        counting.Reset();
        Assert.True((await fs.ResolveAsync(cold, path, default)).IsOk);
        Assert.True(counting.Gets >= 3, $"a cold walk read {counting.Gets} keys");

        var warm = Alice();
        counting.Reset();
        var found = await fs.ResolveAsync(warm, path, default);
        Assert.True(found.IsOk, found.ToString());
        Assert.Equal(1, counting.Gets); // the epoch and the file's record, together
        Assert.Equal(cold.Label, warm.Label); // every directory passed through tainted it, as on the full walk
        Assert.True(warm.Label.Secrecy.Implies(secret.Secrecy), warm.Label.ToString()); // and it is that secret

        // The record is read on every walk: a write through another server is seen at once.
        Assert.Equal(FsResult.Ok, await Fs.WriteFileAsync(Alice(), path, "1"u8.ToArray()));
        counting.Reset();
        var read = await fs.ReadFileAsync(Alice(), path);
        Assert.Equal("1", Encoding.UTF8.GetString(read.Value!));

        // A name that is not there is never taken from a guess.
        Assert.Equal(FsStatus.NotFound, (await fs.ResolveAsync(Alice(), $"{AliceHome}:a:b:g", default)).Status);
    }

    [Fact]
    public async Task WarmWalk_AfterAnUnlinkElsewhere_FallsBackToTheFullWalk_UnderTheEpochItJustRead()
    {
        Assert.Equal(FsResult.Ok, await Fs.CreateFileAsync(Alice(), $"{AliceHome}:f", Private, "0"u8.ToArray()));
        var counting = new CountingMetadataStore(await OpenStoreAsync());
        var fs = new FileSystem(counting, Blobs, Clock);
        await fs.BootstrapAsync();
        Assert.True((await fs.ReadFileAsync(Alice(), $"{AliceHome}:f")).IsOk);

        // Another server replaces the file: the guessed epoch no longer holds.
        Assert.Equal(FsResult.Ok, await Fs.DeleteAsync(Alice(), $"{AliceHome}:f"));
        Assert.Equal(FsResult.Ok, await Fs.CreateFileAsync(Alice(), $"{AliceHome}:f", Private, "1"u8.ToArray()));
        counting.Reset();
        var found = await fs.ResolveAsync(Alice(), $"{AliceHome}:f", default);

        Assert.True(found.IsOk, found.ToString());
        Assert.Equal(await IdOfAsync($"{AliceHome}:f"), found.Value!.Id);
        Assert.InRange(counting.Gets, 2, 4); // the guess, then the entries and the record, not the epoch again
    }

    /// <summary>
    /// An unlinker that died between deleting the entry and advancing the epoch (here: the
    /// entry key deleted behind the monitor's back) leaves a cached entry trusted for at most
    /// <c>EntryCache.MaxAge</c>.
    /// </summary>
    [Fact]
    public async Task CachedEntry_WhoseUnlinkNeverAdvancedTheEpoch_IsTrustedNoLongerThanMaxAge()
    {
        Assert.Equal(FsResult.Ok, await Fs.CreateFileAsync(Alice(), $"{AliceHome}:x", Private, "x"u8.ToArray()));
        Assert.True((await Fs.ReadFileAsync(Alice(), $"{AliceHome}:x")).IsOk);
        var home = await IdOfAsync(AliceHome);
        Assert.True(await Store.DeleteAsync(FsKeys.Entry(home, "x")));

        Clock.Advance(TimeSpan.FromMilliseconds(EntryCache.MaxAgeMs - 1));
        Assert.True((await Fs.ReadFileAsync(Alice(), $"{AliceHome}:x")).IsOk);
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(FsStatus.NotFound, (await Fs.ReadFileAsync(Alice(), $"{AliceHome}:x")).Status);
    }

    [Fact]
    public async Task Walks_WhileAnotherStoreReplacesAnEntry_NeverServeTheReplacedObjectOnceTheReplacementReturns()
    {
        var other = await OpenFileSystemAsync();
        var path = $"{AliceHome}:d:x";
        Assert.Equal(FsResult.Ok, await Fs.CreateDirectoryAsync(Alice(), $"{AliceHome}:d", Private));
        Assert.Equal(FsResult.Ok, await Fs.CreateFileAsync(Alice(), path, Private, "0"u8.ToArray()));

        // Readers on this server keep its cache full of whatever entry they last saw.
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await Fs.ReadFileAsync(Alice(), path);
            }
        })).ToList();

        for (var i = 1; i <= 25; i++)
        {
            Assert.Equal(FsResult.Ok, await other.DeleteAsync(Alice(), path));
            Assert.Equal(FsResult.Ok, await other.CreateFileAsync(Alice(), path, Private, Encoding.UTF8.GetBytes(i.ToString())));
            var seen = await Fs.ReadFileAsync(Alice(), path);
            Assert.True(seen.IsOk, seen.ToString());
            Assert.Equal(i.ToString(), Encoding.UTF8.GetString(seen.Value!));
        }

        await stop.CancelAsync();
        await Task.WhenAll(readers);
    }

    [Fact]
    public async Task ListPage_FollowsCursors_InNameOrder_WithoutRepeats()
    {
        Assert.Equal(FsResult.Ok, await Fs.CreateDirectoryAsync(Alice(), $"{AliceHome}:p", Private));
        var names = Enumerable.Range(0, 23).Select(i => $"n{i:D2}").ToList();
        await Task.WhenAll(names.Select(n => Fs.CreateFileAsync(Alice(), $"{AliceHome}:p:{n}", Private).AsTask()));

        var seen = new List<string>();
        string? after = null;
        var pages = 0;
        do
        {
            var page = await Fs.ListPageAsync(Alice(), $"{AliceHome}:p", after, 5);
            Assert.True(page.IsOk, page.ToString());
            Assert.True(page.Value!.Entries.Count <= 5);
            seen.AddRange(page.Value.Entries.Select(e => e.Name));
            after = page.Value.Next;
            pages++;
        }
        while (after is not null);

        Assert.Equal(names, seen);
        Assert.Equal(5, pages);
    }

    [Fact]
    public async Task ListPage_ExactlyFullLastPage_HasNoNext()
    {
        Assert.Equal(FsResult.Ok, await Fs.CreateDirectoryAsync(Alice(), $"{AliceHome}:p", Private));
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(FsResult.Ok, await Fs.CreateFileAsync(Alice(), $"{AliceHome}:p:{i}", Private));
        }

        var first = (await Fs.ListPageAsync(Alice(), $"{AliceHome}:p", null, 2)).Value!;
        var second = (await Fs.ListPageAsync(Alice(), $"{AliceHome}:p", first.Next, 2)).Value!;
        Assert.Equal("1", first.Next);
        Assert.Equal(["2", "3"], second.Entries.Select(e => e.Name));
        Assert.Null(second.Next);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(FileSystem.MaxPageSize + 1)]
    public async Task ListPage_LimitOutOfBounds_IsBadRequest(int limit)
    {
        var page = await Fs.ListPageAsync(Alice(), AliceHome, null, limit);
        Assert.Equal(FsStatus.BadRequest, page.Status);
    }

    [Theory]
    [InlineData("a:b")]
    [InlineData("lone surrogate")]
    [InlineData("")]
    public async Task ListPage_CursorThatIsNoName_IsBadRequest(string cursor)
    {
        // xunit would mangle a lone surrogate in InlineData; build it here.
        var page = await Fs.ListPageAsync(Alice(), AliceHome, cursor == "lone surrogate" ? "a\ud800" : cursor, 10);
        Assert.Equal(FsStatus.BadRequest, page.Status);
    }

    [Fact]
    public async Task ListFacetsPage_HiddenFacets_ChangeNeitherPagesNorCursors()
    {
        var clearance = L("alice,T");
        async Task<List<(string[] Facets, bool More)>> PagesAsync()
        {
            var pages = new List<(string[], bool)>();
            string? after = null;
            do
            {
                var page = (await Fs.ListFacetsPageAsync(Alice(), "home", clearance, after, 1)).Value!;
                pages.Add(([.. page.Facets.Select(f => f.ToString())], page.Next is not null));
                after = page.Next;
            }
            while (after is not null);

            return pages;
        }

        var before = await PagesAsync();

        // Facets that do not flow to the clearance, stored before, between and after the visible ones.
        foreach (var facet in new[] { "aaron,aaron", "carol,carol", "zed,zed", "bob,T" })
        {
            Assert.Equal(FsResult.Ok, await Fs.CreateFacetAsync(Super(), $"home:<{facet}>"));
        }

        var after = await PagesAsync();
        Assert.Equal(before.Select(p => string.Join(";", p.Facets) + p.More), after.Select(p => string.Join(";", p.Facets) + p.More));
        Assert.Contains(before, p => p.Facets.Contains("alice,alice"));
    }

    [Fact]
    public async Task ListFacetsPage_CursorThatDoesNotFlowToTheClearance_IsBadRequest()
    {
        var page = await Fs.ListFacetsPageAsync(Alice(), "home", L("alice,T"), "bob,bob", 10);
        Assert.Equal(FsStatus.BadRequest, page.Status);
    }
}

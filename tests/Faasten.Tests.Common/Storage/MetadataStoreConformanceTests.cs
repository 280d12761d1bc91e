using System.Text;
using Faasten.Fs.Storage;

namespace Faasten.Tests.Common.Storage;

/// <summary>
/// The behaviour every <see cref="IMetadataStore"/> must show. A backend's test class
/// derives from this and says how to open a store over storage private to one test;
/// concurrency cases are in <see cref="MetadataStoreConcurrencyTests"/>.
/// </summary>
public abstract class MetadataStoreConformanceTests : MetadataStoreTestBase
{
    [Fact]
    public async Task Get_MissingKey_ReturnsNull()
    {
        Assert.Null(await Store.GetAsync("missing"));
    }

    [Fact]
    public async Task GetMany_ReturnsEachKeysValueAndVersion_InTheOrderAsked_NullWhereAbsent()
    {
        await Store.PutAsync("a", Utf8("1"));
        await Store.PutAsync("b", Utf8("2"));
        await Store.PutAsync("b", Utf8("3"));

        var values = await Store.GetManyAsync(["b", "missing", "a", "b"]);

        Assert.Equal(4, values.Count);
        Assert.Equal(("3", 2L), (Encoding.UTF8.GetString(values[0]!.Value.Value), values[0]!.Value.Version));
        Assert.Null(values[1]);
        Assert.Equal(("1", 1L), (Encoding.UTF8.GetString(values[2]!.Value.Value), values[2]!.Value.Version));
        Assert.Equal(values[0]!.Value.Version, values[3]!.Value.Version);
        Assert.Empty(await Store.GetManyAsync([]));
    }

    [Fact]
    public async Task GetMany_AnInvalidKey_IsRefusedLikeGet()
    {
        await Assert.ThrowsAsync<ArgumentException>(async () => await Store.GetManyAsync(["ok", "bad\0key"]));
    }

    [Fact]
    public async Task Put_NewKey_StoresValueAtVersionOne()
    {
        Assert.Equal(1, await Store.PutAsync("k", Utf8("hello")));

        var stored = await Store.GetAsync("k");

        Assert.NotNull(stored);
        Assert.Equal("hello", Encoding.UTF8.GetString(stored.Value.Value));
        Assert.Equal(1, stored.Value.Version);
    }

    [Fact]
    public async Task Put_Repeatedly_VersionGrowsByOneAndLastValueWins()
    {
        Assert.Equal(1, await Store.PutAsync("k", Utf8("a")));
        Assert.Equal(2, await Store.PutAsync("k", Utf8("b")));
        Assert.Equal(3, await Store.PutAsync("k", Utf8("c")));

        var stored = await Store.GetAsync("k");

        Assert.Equal("c", Encoding.UTF8.GetString(stored!.Value.Value));
        Assert.Equal(3, stored.Value.Version);
    }

    [Fact]
    public async Task InsertIfAbsent_Twice_SecondFailsAndFirstValueStays()
    {
        Assert.True(await Store.InsertIfAbsentAsync("k", Utf8("first")));
        Assert.False(await Store.InsertIfAbsentAsync("k", Utf8("second")));

        var stored = await Store.GetAsync("k");

        Assert.Equal("first", Encoding.UTF8.GetString(stored!.Value.Value));
        Assert.Equal(1, stored.Value.Version);
    }

    [Fact]
    public async Task InsertIfAbsent_AfterDelete_Succeeds()
    {
        await Store.PutAsync("k", Utf8("old"));
        await Store.DeleteAsync("k");

        Assert.True(await Store.InsertIfAbsentAsync("k", Utf8("new")));
        Assert.Equal("new", Encoding.UTF8.GetString((await Store.GetAsync("k"))!.Value.Value));
    }

    [Fact]
    public async Task CompareAndSwap_CurrentVersion_WritesAndBumpsVersion()
    {
        var version = await Store.PutAsync("k", Utf8("a"));

        Assert.True(await Store.CompareAndSwapAsync("k", version, Utf8("b")));

        var stored = await Store.GetAsync("k");
        Assert.Equal("b", Encoding.UTF8.GetString(stored!.Value.Value));
        Assert.Equal(version + 1, stored.Value.Version);
    }

    [Fact]
    public async Task CompareAndSwap_StaleVersion_FailsAndLeavesValue()
    {
        var stale = await Store.PutAsync("k", Utf8("a"));
        await Store.PutAsync("k", Utf8("b"));

        Assert.False(await Store.CompareAndSwapAsync("k", stale, Utf8("lost")));

        var stored = await Store.GetAsync("k");
        Assert.Equal("b", Encoding.UTF8.GetString(stored!.Value.Value));
        Assert.Equal(2, stored.Value.Version);
    }

    [Fact]
    public async Task CompareAndSwap_MissingKey_FailsAndCreatesNothing()
    {
        Assert.False(await Store.CompareAndSwapAsync("k", 1, Utf8("x")));
        Assert.Null(await Store.GetAsync("k"));
    }

    [Fact]
    public async Task Delete_WithoutVersion_RemovesKey()
    {
        await Store.PutAsync("k", Utf8("a"));

        Assert.True(await Store.DeleteAsync("k"));
        Assert.Null(await Store.GetAsync("k"));
        Assert.False(await Store.DeleteAsync("k"));
    }

    [Fact]
    public async Task Delete_MissingKey_ReturnsFalse()
    {
        Assert.False(await Store.DeleteAsync("missing"));
        Assert.False(await Store.DeleteAsync("missing", 1));
    }

    [Fact]
    public async Task Delete_StaleVersion_FailsAndKeyStays()
    {
        var stale = await Store.PutAsync("k", Utf8("a"));
        var current = await Store.PutAsync("k", Utf8("b"));

        Assert.False(await Store.DeleteAsync("k", stale));
        Assert.NotNull(await Store.GetAsync("k"));
        Assert.True(await Store.DeleteAsync("k", current));
        Assert.Null(await Store.GetAsync("k"));
    }

    [Fact]
    public async Task Scan_Prefix_ReturnsOnlyThatPrefixInCodePointOrder()
    {
        string[] inside = ["dir:b", "dir:a:b", "dir:", "dir:a", "dir:Z", "dir:é", "dir:\uFFFD", "dir:😀", "dir:0", "dir:a😀"];
        string[] outside = ["dir", "di", "dir;", "dis:a", "e", "", "Dir:a"];
        foreach (var key in inside.Concat(outside))
        {
            await Store.PutAsync(key, Utf8("v:" + key));
        }

        var scanned = await ScanAsync(Store, "dir:");

        Assert.Equal(inside.OrderBy(k => k, Utf8Order), scanned.Select(e => e.Key));
        Assert.All(scanned, e => Assert.Equal("v:" + e.Key, Encoding.UTF8.GetString(e.Value.Value)));

        // Code point order, not UTF-16 ordinal: U+1F600 sorts after U+FFFD.
        Assert.True(scanned.FindIndex(e => e.Key == "dir:😀") > scanned.FindIndex(e => e.Key == "dir:\uFFFD"));
    }

    [Fact]
    public async Task Scan_EmptyPrefix_ReturnsEveryKeyWithVersions()
    {
        await Store.PutAsync("b", Utf8("1"));
        await Store.PutAsync("a", Utf8("1"));
        await Store.PutAsync("a", Utf8("2"));

        var scanned = await ScanAsync(Store, "");

        Assert.Equal(["a", "b"], scanned.Select(e => e.Key));
        Assert.Equal([2L, 1L], scanned.Select(e => e.Value.Version));
    }

    [Fact]
    public async Task Scan_NoMatch_ReturnsNothing()
    {
        await Store.PutAsync("a", Utf8("1"));

        Assert.Empty(await ScanAsync(Store, "b"));
    }

    [Fact]
    public async Task Scan_PrefixEndingInLastCodePoint_IsBoundedCorrectly()
    {
        string[] inside = ["m\U0010FFFF", "m\U0010FFFFz", "m\U0010FFFF\U0010FFFF"];
        foreach (var key in inside.Append("m\U0010FFFE").Append("n").Append("m"))
        {
            await Store.PutAsync(key, Utf8(key));
        }

        var scanned = await ScanAsync(Store, "m\U0010FFFF");

        Assert.Equal(inside.OrderBy(k => k, Utf8Order), scanned.Select(e => e.Key));
    }

    [Fact]
    public async Task Scan_MoreKeysThanOnePage_ReturnsAllInOrder()
    {
        const int count = 700;
        for (var i = count - 1; i >= 0; i--)
        {
            await Store.PutAsync($"many:{i:D4}", BitConverter.GetBytes(i));
        }

        await Store.PutAsync("manz", Utf8("outside"));

        var scanned = await ScanAsync(Store, "many:");

        Assert.Equal(Enumerable.Range(0, count).Select(i => $"many:{i:D4}"), scanned.Select(e => e.Key));
        Assert.All(scanned, e => Assert.Equal(int.Parse(e.Key[5..]), BitConverter.ToInt32(e.Value.Value)));
    }

    [Fact]
    public async Task Scan_StartAfter_ResumesAfterTheCursorAcrossPages()
    {
        const int count = 600;
        for (var i = 0; i < count; i++)
        {
            await Store.PutAsync($"cur:{i:D4}", Utf8("v"));
        }

        await Store.PutAsync("cus", Utf8("outside"));
        var resumed = new List<string>();
        await foreach (var (key, _) in Store.ScanAsync("cur:", "cur:0299"))
        {
            resumed.Add(key);
        }

        Assert.Equal(Enumerable.Range(300, count - 300).Select(i => $"cur:{i:D4}"), resumed);
    }

    [Fact]
    public async Task Scan_CursorOutsideThePrefix_Throws()
    {
        await Assert.ThrowsAsync<ArgumentException>(async () =>
        {
            await foreach (var _ in Store.ScanAsync("a:", "b"))
            {
            }
        });
    }

    [Fact]
    public async Task Values_BinaryIncludingEmpty_RoundTripExactly()
    {
        var all = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var large = new byte[1 << 20];
        new Random(42).NextBytes(large);

        await Store.PutAsync("empty", ReadOnlyMemory<byte>.Empty);
        await Store.InsertIfAbsentAsync("all", all);
        await Store.PutAsync("large", large);

        Assert.Empty((await Store.GetAsync("empty"))!.Value.Value);
        Assert.Equal(all, (await Store.GetAsync("all"))!.Value.Value);
        Assert.Equal(large, (await Store.GetAsync("large"))!.Value.Value);
    }

    [Fact]
    public async Task Values_SliceOfLargerBuffer_StoresOnlyTheSlice()
    {
        var buffer = Utf8("xxhelloxx");

        await Store.PutAsync("k", buffer.AsMemory(2, 5));
        Assert.True(await Store.CompareAndSwapAsync("k", 1, buffer.AsMemory(1, 3)));

        Assert.Equal("xhe", Encoding.UTF8.GetString((await Store.GetAsync("k"))!.Value.Value));
    }

    [Fact]
    public async Task Keys_UnicodeColonsAndSpaces_RoundTrip()
    {
        string[] keys = ["home:<alice,alice>:photos", "名前:ファイル", "a b:c\td", "emoji:🙂:x", "%:~:<T,F>", "quote'\"\\", ""];
        foreach (var key in keys)
        {
            await Store.PutAsync(key, Utf8(key));
        }

        foreach (var key in keys)
        {
            Assert.Equal(key, Encoding.UTF8.GetString((await Store.GetAsync(key))!.Value.Value));
        }

        Assert.Equal(keys.Length, (await ScanAsync(Store, "")).Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Keys_Malformed_AreRejected(int which)
    {
        // Built here: xunit's theory serialization would repair lone surrogates.
        var key = which switch
        {
            0 => "nul\0inside",
            1 => "lone" + '\uD800' + "surrogate",
            _ => "trailing" + '\uDC00',
        };

        await Assert.ThrowsAsync<ArgumentException>(async () => await Store.PutAsync(key, Utf8("x")));
        await Assert.ThrowsAsync<ArgumentException>(async () => await Store.GetAsync(key));
        await Assert.ThrowsAsync<ArgumentException>(async () => await ScanAsync(Store, key));
    }

    [Fact]
    public async Task Reopen_AfterDispose_KeepsValuesAndVersions()
    {
        await Store.PutAsync("k", Utf8("a"));
        await Store.PutAsync("k", Utf8("b"));
        await Store.InsertIfAbsentAsync("other", Utf8("c"));
        await Store.DisposeAsync();

        var reopened = await OpenAnotherStoreAsync();

        var stored = await reopened.GetAsync("k");
        Assert.Equal("b", Encoding.UTF8.GetString(stored!.Value.Value));
        Assert.Equal(2, stored.Value.Version);
        Assert.Equal(3, await reopened.PutAsync("k", Utf8("c")));
        Assert.NotNull(await reopened.GetAsync("other"));
    }

    [Fact]
    public async Task TwoStoresOnSameStorage_SeeEachOthersWrites()
    {
        var other = await OpenAnotherStoreAsync();

        await Store.PutAsync("k", Utf8("from first"));
        Assert.True(await other.CompareAndSwapAsync("k", 1, Utf8("from second")));

        Assert.Equal("from second", Encoding.UTF8.GetString((await Store.GetAsync("k"))!.Value.Value));
        Assert.False(await Store.CompareAndSwapAsync("k", 1, Utf8("stale")));
    }

    [Fact]
    public async Task Write_AlreadyCancelled_ThrowsAndWritesNothing()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Store.PutAsync("k", Utf8("x"), cts.Token));

        Assert.Null(await Store.GetAsync("k"));
    }
}

using Faasten.Fs;
using Faasten.Protocol.V1;
using static Faasten.Kernel.Tests.KernelAssert;
using static Faasten.Kernel.Tests.KernelHarness;

namespace Faasten.Kernel.Tests;

public sealed class FileCallsTests : IAsyncLifetime
{
    private const string AliceHome = "home:<alice,alice>";
    private KernelHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await CreateAsync();
        await Ok(_h.Fs.CreateFileAsync(Super(), $"{AliceHome}:notes", L("alice,alice"), "secret notes"u8.ToArray()));
        await Ok(_h.Fs.CreateFileAsync(Super(), "home:<T,alice>:public", L("T,alice")));
        await Ok(_h.Fs.CreateDirectoryAsync(Super(), $"{AliceHome}:docs", L("alice,alice")));
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Read_File_ReturnsDataAndTaintsWithItsLabel()
    {
        var alice = _h.Kernel("alice");
        var reply = await OkAsync(alice, new() { FsRead = new() { Path = $"{AliceHome}:notes" } });
        Assert.Equal("secret notes", reply.FsRead.Data.ToStringUtf8());
        Assert.Equal("alice,T", await LabelAsync(alice));
    }

    [Fact]
    public async Task Read_Missing_NotFound()
    {
        var error = await FailsAsync(_h.Kernel("alice"), new() { FsRead = new() { Path = $"{AliceHome}:nope" } }, CloudCallErrorCode.NotFound);
        Assert.Contains("nope", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_Directory_WrongKind() =>
        await FailsAsync(_h.Kernel("alice"), new() { FsRead = new() { Path = $"{AliceHome}:docs" } }, CloudCallErrorCode.WrongKind);

    [Fact]
    public async Task Read_ThroughAFile_NotADirectory() =>
        await FailsAsync(_h.Kernel("alice"), new() { FsRead = new() { Path = $"{AliceHome}:notes:x" } }, CloudCallErrorCode.NotADirectory);

    [Fact]
    public async Task Read_MalformedPath_BadPath() =>
        await FailsAsync(_h.Kernel("alice"), new() { FsRead = new() { Path = "home:<alice" } }, CloudCallErrorCode.BadPath);

    [Fact]
    public async Task Write_ThenRead_RoundTrips()
    {
        var alice = _h.Kernel("alice");
        await OkAsync(alice, new() { FsWrite = new() { Path = $"{AliceHome}:notes", Data = Google.Protobuf.ByteString.CopyFromUtf8("new") } });
        var reply = await OkAsync(alice, new() { FsRead = new() { Path = $"{AliceHome}:notes" } });
        Assert.Equal("new", reply.FsRead.Data.ToStringUtf8());
    }

    [Fact]
    public async Task Write_AfterReadingSecret_ToPublicFile_WithoutAlicesAuthority_LabelDenied()
    {
        // alice herself may publish her data; a function running as alice/pma may not.
        var alice = _h.Kernel("alice/pma");
        await OkAsync(alice, new() { FsRead = new() { Path = $"{AliceHome}:notes" } });
        var error = await FailsAsync(alice, new() { FsWrite = new() { Path = "home:<T,alice>:public", Data = Google.Protobuf.ByteString.CopyFromUtf8("leak") } }, CloudCallErrorCode.LabelDenied);
        Assert.DoesNotContain("secret notes", error.Message, StringComparison.Ordinal);
        Assert.Empty((await _h.Fs.ReadFileAsync(Super(), "home:<T,alice>:public")).Value!);
    }

    [Fact]
    public async Task Write_OtherUsersFile_LabelDenied() =>
        await FailsAsync(_h.Kernel("bob"), new() { FsWrite = new() { Path = "home:<T,alice>:public", Data = Google.Protobuf.ByteString.CopyFromUtf8("x") } }, CloudCallErrorCode.LabelDenied);

    [Fact]
    public async Task Write_LargerThanAFile_TooLarge() =>
        await FailsAsync(_h.Kernel("alice"), new() { FsWrite = new() { Path = $"{AliceHome}:notes", Data = Google.Protobuf.ByteString.CopyFrom(new byte[FileSystem.MaxFileBytes + 1]) } }, CloudCallErrorCode.TooLarge);

    [Fact]
    public async Task List_Directory_ReturnsNamesAndKinds()
    {
        var reply = await OkAsync(_h.Kernel("alice"), new() { FsList = new() { Path = AliceHome } });
        var entries = reply.FsList.Entries.ToDictionary(e => e.Name, e => e.Kind);
        Assert.Equal(EntryKind.File, entries["notes"]);
        Assert.Equal(EntryKind.Directory, entries["docs"]);
    }

    [Fact]
    public async Task List_WithLimit_ReturnsAPageAndTheCursorOfTheNext()
    {
        var kernel = _h.Kernel("alice");
        var first = (await OkAsync(kernel, new() { FsList = new() { Path = AliceHome, Limit = 1 } })).FsList;
        Assert.Single(first.Entries);
        Assert.True(first.HasNext);

        var second = (await OkAsync(kernel, new() { FsList = new() { Path = AliceHome, Limit = 1000, Cursor = first.Next } })).FsList;
        Assert.DoesNotContain(first.Entries[0].Name, second.Entries.Select(e => e.Name));
        Assert.False(second.HasNext);
    }

    [Fact]
    public async Task List_LimitAboveAPage_BadRequest() =>
        await FailsAsync(_h.Kernel("alice"), new() { FsList = new() { Path = AliceHome, Limit = FileSystem.MaxPageSize + 1 } }, CloudCallErrorCode.BadRequest);

    [Fact]
    public async Task List_File_WrongKind() =>
        await FailsAsync(_h.Kernel("alice"), new() { FsList = new() { Path = $"{AliceHome}:notes" } }, CloudCallErrorCode.WrongKind);

    [Fact]
    public async Task CreateFile_NoLabel_UsesCurrentLabelAfterTraversal_EndorsedWithThePrivilege()
    {
        var alice = _h.Kernel("alice/thumb");
        await OkAsync(alice, new() { FsCreateFile = new() { Path = "home:<alice,T>:fresh" } });
        var stat = await _h.Fs.StatAsync(Super(), "home:<alice,T>:fresh");
        Assert.Equal(L("alice,alice/thumb"), stat.Value.Label);
    }

    [Fact]
    public async Task CreateDir_ExplicitLabel_IsUsed()
    {
        await OkAsync(_h.Kernel("alice"), new() { FsCreateDir = new() { Path = $"{AliceHome}:photos", Label = "alice,alice" } });
        var stat = await _h.Fs.StatAsync(Super(), $"{AliceHome}:photos");
        Assert.Equal((Fs.Objects.ObjectKind.Directory, L("alice,alice")), (stat.Value.Kind, stat.Value.Label));
    }

    [Fact]
    public async Task CreateDir_MalformedLabel_BadLabelWithParserMessage()
    {
        var error = await FailsAsync(_h.Kernel("alice"), new() { FsCreateDir = new() { Path = $"{AliceHome}:x", Label = "alice,,bob" } }, CloudCallErrorCode.BadLabel);
        Assert.Contains("offset", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateDir_LabelTheCallerCannotWrite_LabelDenied() =>
        await FailsAsync(_h.Kernel("alice"), new() { FsCreateDir = new() { Path = $"{AliceHome}:x", Label = "alice,bob" } }, CloudCallErrorCode.LabelDenied);

    [Fact]
    public async Task CreateDir_InRootWithoutSuperuser_LabelDenied() =>
        await FailsAsync(_h.Kernel("alice"), new() { FsCreateDir = new() { Path = "mine" } }, CloudCallErrorCode.LabelDenied);

    [Fact]
    public async Task CreateDir_Existing_Exists() =>
        await FailsAsync(_h.Kernel("alice"), new() { FsCreateDir = new() { Path = $"{AliceHome}:docs" } }, CloudCallErrorCode.Exists);

    [Fact]
    public async Task CreateFile_PathNotEndingInAName_BadPath() =>
        await FailsAsync(_h.Kernel("alice"), new() { FsCreateFile = new() { Path = "home:<alice,alice>" } }, CloudCallErrorCode.BadPath);

    [Fact]
    public async Task FacetedList_ShowsFacetsUnderClearance_AndTaintsWithClearance()
    {
        var alice = _h.Kernel("alice");
        await OkAsync(alice, new() { FsCreateFaceted = new() { Path = $"{AliceHome}:shared" } });
        await Ok(_h.Fs.CreateFileAsync(Super(), $"{AliceHome}:shared:<alice,alice>:a", L("alice,alice")));
        await Ok(_h.Fs.CreateFileAsync(Super(), $"{AliceHome}:shared:<bob,bob>:b", L("bob,bob")));

        var reply = await OkAsync(_h.Kernel("alice"), new() { FsFacetedList = new() { Path = $"{AliceHome}:shared", Clearance = "alice,alice" } });
        Assert.Equal("alice,alice", Assert.Single(reply.FsFacetedList.Facets).Facet);
        Assert.False(reply.FsFacetedList.HasNext);

        var bob = _h.Kernel("bob");
        var all = await OkAsync(bob, new() { FsFacetedList = new() { Path = $"{AliceHome}:shared", Clearance = "alice&bob,T" } });
        Assert.Equal(["alice,alice", "bob,bob"], all.FsFacetedList.Facets.Select(f => f.Facet).Order());
        Assert.Equal("alice&bob,T", await LabelAsync(bob));
    }

    [Fact]
    public async Task FacetedList_ComesInPages_OfVisibleFacetsOnly()
    {
        await Ok(_h.Fs.CreateFacetedDirectoryAsync(Super(), "many"));
        foreach (var facet in new[] { "T,T", "alice,T", "bob,T", "carol,T" })
        {
            await Ok(_h.Fs.CreateFileAsync(Super(), $"many:<{facet}>:f", L(facet)));
        }

        var bob = _h.Kernel("bob");
        var first = await OkAsync(bob, new() { FsFacetedList = new() { Path = "many", Clearance = "bob,T", Limit = 1 } });
        var second = await OkAsync(bob, new() { FsFacetedList = new() { Path = "many", Clearance = "bob,T", Limit = 1, Cursor = first.FsFacetedList.Next } });

        // alice's and carol's facets do not flow to bob's clearance: they fill no page and make no cursor.
        Assert.Equal(["T,T", "bob,T"], new[] { first, second }.SelectMany(r => r.FsFacetedList.Facets).Select(f => f.Facet).Order());
        Assert.False(second.FsFacetedList.HasNext);
        await FailsAsync(bob, new() { FsFacetedList = new() { Path = "many", Limit = 1001 } }, CloudCallErrorCode.BadRequest);
    }

    [Fact]
    public async Task FacetedList_NoClearance_UsesCurrentLabel()
    {
        await Ok(_h.Fs.CreateFacetedDirectoryAsync(Super(), "pub"));
        await Ok(_h.Fs.CreateFileAsync(Super(), "pub:<T,T>:hello", L("T,T")));
        await Ok(_h.Fs.CreateFileAsync(Super(), "pub:<alice,T>:hidden", L("alice,T")));
        var reply = await OkAsync(_h.Kernel("bob"), new() { FsFacetedList = new() { Path = "pub" } });
        Assert.Equal("T,T", Assert.Single(reply.FsFacetedList.Facets).Facet);
    }

    [Fact]
    public async Task FacetedList_MalformedClearance_BadLabel() =>
        await FailsAsync(_h.Kernel("alice"), new() { FsFacetedList = new() { Path = "home", Clearance = "&" } }, CloudCallErrorCode.BadLabel);

    [Fact]
    public async Task FacetedList_OnDirectory_WrongKind() =>
        await FailsAsync(_h.Kernel("alice"), new() { FsFacetedList = new() { Path = $"{AliceHome}:docs" } }, CloudCallErrorCode.WrongKind);

    [Fact]
    public async Task HardLink_ThenDelete()
    {
        var alice = _h.Kernel("alice", "alice,alice");
        await OkAsync(alice, new() { FsHardLink = new() { Source = $"{AliceHome}:notes", Destination = $"{AliceHome}:docs:notes2" } });
        Assert.Equal("secret notes", (await OkAsync(alice, new() { FsRead = new() { Path = $"{AliceHome}:docs:notes2" } })).FsRead.Data.ToStringUtf8());

        await OkAsync(alice, new() { FsDelete = new() { Path = $"{AliceHome}:docs:notes2" } });
        await FailsAsync(alice, new() { FsRead = new() { Path = $"{AliceHome}:docs:notes2" } }, CloudCallErrorCode.NotFound);
        await FailsAsync(alice, new() { FsDelete = new() { Path = $"{AliceHome}:docs:notes2" } }, CloudCallErrorCode.NotFound);
    }

    [Fact]
    public async Task HardLink_IntoDirectoryTheCallerCannotWrite_LabelDenied() =>
        await FailsAsync(_h.Kernel("bob"), new() { FsHardLink = new() { Source = "home:<T,alice>:public", Destination = "home:<T,alice>:copy" } }, CloudCallErrorCode.LabelDenied);

    [Fact]
    public async Task Delete_InOtherUsersDirectory_LabelDenied()
    {
        await FailsAsync(_h.Kernel("bob"), new() { FsDelete = new() { Path = $"{AliceHome}:notes" } }, CloudCallErrorCode.LabelDenied);
        Assert.True((await _h.Fs.ReadFileAsync(Super(), $"{AliceHome}:notes")).IsOk);
    }
}

using static Faasten.Fs.Tests.Monitor.FsHarness;

namespace Faasten.Fs.Tests.Monitor;

/// <summary>Rules 2 and 3: writes and creations need L ⊑_P target; link and unlink taint first, then check.</summary>
public sealed class WriteRuleTests : IAsyncLifetime
{
    private FsHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await FsHarness.CreateAsync();
        var super = Super();
        Assert.True((await _h.Fs.CreateDirectoryAsync(super, "public", L("T,T"))).IsOk);
        Assert.True((await _h.Fs.CreateFileAsync(super, "public:board", L("T,T"))).IsOk);
        Assert.True((await _h.Fs.CreateFileAsync(As("alice"), "~:diary", L("alice,alice"), "dear diary"u8.ToArray())).IsOk);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task ComputationThatReadAlicePrivateData_CannotWriteAPublicFile()
    {
        var ctx = As("T");
        Assert.True((await _h.Fs.ReadFileAsync(ctx, "home:<alice,alice>:diary")).IsOk);

        var write = await _h.Fs.WriteFileAsync(ctx, "public:board", "dear diary"u8.ToArray());

        Assert.Equal(FsStatus.LabelDenied, write.Status);
        Assert.Empty((await _h.Fs.ReadFileAsync(As("T"), "public:board")).Value!);
    }

    [Fact]
    public async Task ComputationThatReadAlicePrivateData_CannotLinkIntoAPublicDirectory()
    {
        var ctx = As("bob");
        Assert.True((await _h.Fs.ReadFileAsync(ctx, "home:<alice,alice>:diary")).IsOk);

        Assert.Equal(FsStatus.LabelDenied, (await _h.Fs.CreateDirectoryAsync(ctx, "public:leak", L("alice,T"))).Status);
        Assert.Equal(FsStatus.LabelDenied, (await _h.Fs.HardLinkAsync(ctx, "home:<alice,alice>:diary", "public:diary")).Status);
        Assert.Equal(FsStatus.LabelDenied, (await _h.Fs.CreateFileAsync(ctx, "home:<T,bob>:copy", L("T,bob"))).Status);
        Assert.Equal(FsStatus.NotFound, (await _h.Fs.StatAsync(As("T"), "public:leak")).Status);
        Assert.Equal(FsStatus.NotFound, (await _h.Fs.StatAsync(As("T"), "public:diary")).Status);
    }

    [Fact]
    public async Task Owner_MayDeclassifyOwnDataByWritingWithPrivilege()
    {
        var alice = As("alice");
        Assert.True((await _h.Fs.ReadFileAsync(alice, "~:diary")).IsOk);

        var created = await _h.Fs.CreateFileAsync(alice, "home:<T,alice>:excerpt", L("T,alice"), "dear"u8.ToArray());

        Assert.True(created.IsOk, created.ToString());
    }

    [Fact]
    public async Task IntegrityOfAnotherUser_CannotBeForged()
    {
        var bob = As("bob");
        Assert.Equal(FsStatus.LabelDenied, (await _h.Fs.CreateFileAsync(bob, "home:<T,alice>:forged", L("T,T"))).Status);
        Assert.Equal(FsStatus.LabelDenied, (await _h.Fs.WriteFileAsync(bob, "home:<alice,alice>:diary", "x"u8.ToArray())).Status);
        Assert.Equal(FsStatus.LabelDenied, (await _h.Fs.DeleteAsync(bob, "home:<alice,alice>:diary")).Status);
        Assert.Equal("dear diary"u8.ToArray(), (await _h.Fs.ReadFileAsync(As("alice"), "~:diary")).Value);
    }

    [Fact]
    public async Task CreatingAnObjectBelowTheCurrentLabel_IsDenied()
    {
        var ctx = As("bob", "alice,T");

        var file = await _h.Fs.CreateFileAsync(ctx, "home:<alice,alice>:note", L("T,T"), "secret"u8.ToArray());
        var hash = await _h.PutBlobAsync("secret"u8.ToArray());
        var blob = await _h.Fs.LinkBlobAsync(ctx, "public:blob", hash, L("T,T"));

        Assert.Equal(FsStatus.LabelDenied, file.Status);
        Assert.Equal(FsStatus.LabelDenied, blob.Status);
    }

    [Fact]
    public async Task DefaultLabel_IsTheCurrentLabelEndorsedWithThePrivilege()
    {
        var alice = As("alice");
        Assert.True((await _h.Fs.ReadFileAsync(alice, "~:diary")).IsOk);
        Assert.True((await _h.Fs.CreateFileAsync(alice, "~:derived")).IsOk);

        var stat = await _h.Fs.StatAsync(As("alice"), "~:derived");

        Assert.Equal(alice.Label.Secrecy, stat.Value.Label!.Secrecy);
        Assert.Equal(L("alice,alice"), stat.Value.Label);
    }

    [Fact]
    public async Task RootIsWritableOnlyWithTheSuperuserPrivilege()
    {
        Assert.Equal(FsStatus.LabelDenied, (await _h.Fs.CreateDirectoryAsync(As("alice"), "mine", L("T,T"))).Status);
        Assert.Equal(FsStatus.LabelDenied, (await _h.Fs.DeleteAsync(As("alice"), "home")).Status);
        Assert.True((await _h.Fs.CreateDirectoryAsync(Super(), "system", L("T,T"))).IsOk);
    }

    [Fact]
    public async Task Unlink_TaintsWithTheDirectoryBeforeChecking()
    {
        var alice = As("alice");
        Assert.True((await _h.Fs.DeleteAsync(alice, "~:diary")).IsOk);
        Assert.Equal(L("alice,T").Secrecy, alice.Label.Secrecy);
        Assert.Equal(FsStatus.NotFound, (await _h.Fs.ReadFileAsync(As("alice"), "~:diary")).Status);
    }

    [Fact]
    public async Task CreatingAnExistingName_ReportsExistsAndKeepsTheOriginal()
    {
        var again = await _h.Fs.CreateFileAsync(As("alice"), "~:diary", L("alice,alice"), "overwrite"u8.ToArray());

        Assert.Equal(FsStatus.Exists, again.Status);
        Assert.Equal("dear diary"u8.ToArray(), (await _h.Fs.ReadFileAsync(As("alice"), "~:diary")).Value);
    }

    [Fact]
    public async Task HardLink_SharesTheObjectAndKeepsItsLabel()
    {
        var alice = As("alice");
        Assert.True((await _h.Fs.HardLinkAsync(alice, "~:diary", "~:diary2")).IsOk);
        Assert.True((await _h.Fs.WriteFileAsync(As("alice"), "~:diary", "changed"u8.ToArray())).IsOk);

        var ctx = As("T");
        Assert.Equal("changed"u8.ToArray(), (await _h.Fs.ReadFileAsync(ctx, "home:<alice,alice>:diary2")).Value);
        Assert.Equal("alice", ctx.Label.Secrecy.ToString());
    }

    [Fact]
    public async Task OversizedFile_IsRejectedWithAClearError()
    {
        var result = await _h.Fs.CreateFileAsync(As("alice"), "~:big", L("alice,alice"), new byte[FileSystem.MaxFileBytes + 1]);
        Assert.Equal(FsStatus.BadRequest, result.Status);
        Assert.Contains("blob", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LinkBlob_OfAMalformedHash_IsRejected_AndAnUnknownEntryIsNotFound()
    {
        Assert.Equal(FsStatus.BadRequest, (await _h.Fs.LinkBlobAsync(As("alice"), "~:y", "../../etc/passwd")).Status);
        Assert.Equal(FsStatus.NotFound, (await _h.Fs.LinkBlobEntryAsync(As("alice"), "~:x", "~:no-such-blob")).Status);
        Assert.Equal(FsStatus.WrongKind, (await _h.Fs.LinkBlobEntryAsync(As("alice"), "~:x", "~:diary")).Status);
    }
}

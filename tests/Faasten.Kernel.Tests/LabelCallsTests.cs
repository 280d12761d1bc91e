using Faasten.Protocol.V1;
using static Faasten.Kernel.Tests.KernelAssert;
using static Faasten.Kernel.Tests.KernelHarness;

namespace Faasten.Kernel.Tests;

public sealed class LabelCallsTests : IAsyncLifetime
{
    private KernelHarness _h = null!;

    public async Task InitializeAsync() => _h = await CreateAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task GetCurrentLabelAndPrivilege_ReportTheContext()
    {
        var k = _h.Kernel("alice&bob/x", "alice,T");
        Assert.Equal("alice,T", await LabelAsync(k));
        Assert.Equal("alice&bob/x", (await OkAsync(k, new() { GetPrivilege = new() })).Privilege.Privilege);
    }

    [Fact]
    public async Task Taint_RaisesToTheJoin()
    {
        var k = _h.Kernel("bob", "alice,alice");
        var reply = await OkAsync(k, new() { TaintWithLabel = new() { Label = "bob,bob" } });
        Assert.Equal("alice&bob,alice|bob", reply.Label.Label);
        Assert.Equal("alice&bob,alice|bob", await LabelAsync(k));
    }

    [Fact]
    public async Task Taint_Malformed_BadLabelAndUnchanged()
    {
        var k = _h.Kernel("alice");
        var error = await FailsAsync(k, new() { TaintWithLabel = new() { Label = "alice" } }, CloudCallErrorCode.BadLabel);
        Assert.Contains("offset", error.Message, StringComparison.Ordinal);
        Assert.Equal("T,T", await LabelAsync(k));
    }

    [Fact]
    public async Task Declassify_OwnSecrecy_Allowed()
    {
        var k = _h.Kernel("alice", "alice&bob,alice");
        Assert.Equal("bob,alice", (await OkAsync(k, new() { Declassify = new() { Secrecy = "bob" } })).Label.Label);
    }

    [Fact]
    public async Task Declassify_OthersSecrecy_LabelDeniedAndUnchanged()
    {
        var k = _h.Kernel("alice", "alice&bob,T");
        await FailsAsync(k, new() { Declassify = new() { Secrecy = "alice" } }, CloudCallErrorCode.LabelDenied);
        await FailsAsync(k, new() { Declassify = new() { Secrecy = "T" } }, CloudCallErrorCode.LabelDenied);
        Assert.Equal("alice&bob,T", await LabelAsync(k));
    }

    [Fact]
    public async Task Declassify_Malformed_BadLabel() =>
        await FailsAsync(_h.Kernel("alice"), new() { Declassify = new() { Secrecy = "a,b" } }, CloudCallErrorCode.BadLabel);

    [Fact]
    public async Task Endorse_AddsThePrivilegeToIntegrity()
    {
        var k = _h.Kernel("alice", "bob,T");
        Assert.Equal("bob,alice", (await OkAsync(k, new() { Endorse = new() })).Label.Label);
    }

    [Fact]
    public async Task SubPrivilege_ExtendsEveryPrincipal_AndCannotBeUndone()
    {
        var k = _h.Kernel("alice&bob|carol");
        Assert.Equal("alice/pma&bob/pma|carol/pma", (await OkAsync(k, new() { SubPrivilege = new() { Suffix = "pma" } })).Privilege.Privilege);
        Assert.Equal("alice/pma/a/b&bob/pma/a/b|carol/pma/a/b", (await OkAsync(k, new() { SubPrivilege = new() { Suffix = "a/b" } })).Privilege.Privilege);
    }

    [Fact]
    public async Task SubPrivilege_LosesTheAuthorityToDeclassifyAndWrite()
    {
        var k = _h.Kernel("alice", "alice,T");
        await OkAsync(k, new() { SubPrivilege = new() { Suffix = "thumb" } });
        await FailsAsync(k, new() { Declassify = new() { Secrecy = "T" } }, CloudCallErrorCode.LabelDenied);
        await FailsAsync(k, new() { FsCreateFile = new() { Path = "home:<alice,alice>:x" } }, CloudCallErrorCode.LabelDenied);
    }

    [Theory]
    [InlineData("T")]
    [InlineData("F")]
    public async Task SubPrivilege_TrueAndFalse_AreUnchanged(string privilege)
    {
        var k = _h.Kernel(privilege);
        Assert.Equal(privilege, (await OkAsync(k, new() { SubPrivilege = new() { Suffix = "x" } })).Privilege.Privilege);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a//b")]
    [InlineData("a|b")]
    public async Task SubPrivilege_MalformedSuffix_BadLabel(string suffix)
    {
        var k = _h.Kernel("alice");
        await FailsAsync(k, new() { SubPrivilege = new() { Suffix = suffix } }, CloudCallErrorCode.BadLabel);
        Assert.Equal("alice", (await OkAsync(k, new() { GetPrivilege = new() })).Privilege.Privilege);
    }

    [Fact]
    public async Task EmptyRequest_Unsupported() =>
        await FailsAsync(_h.Kernel("alice"), new CloudCallRequest(), CloudCallErrorCode.Unsupported);
}

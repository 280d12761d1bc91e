using Faasten.Labels;
using static Faasten.Fs.Tests.Monitor.FsHarness;

namespace Faasten.Fs.Tests.Monitor;

/// <summary>Rule 6 on the security context: declassify, endorse and taint.</summary>
public sealed class DeclassifyRuleTests
{
    [Fact]
    public void Declassify_WithCoveringPrivilege_LowersSecrecy()
    {
        var ctx = As("alice", "alice&bob,T");
        Assert.True(ctx.Declassify(C("bob")));
        Assert.Equal(L("bob,T"), ctx.Label);
    }

    [Fact]
    public void Declassify_BeyondThePrivilege_IsRefusedAndLeavesTheLabel()
    {
        var ctx = As("bob", "alice,T");
        Assert.False(ctx.Declassify(Component.True));
        Assert.Equal(L("alice,T"), ctx.Label);
    }

    [Fact]
    public void Endorse_AddsThePrivilegeToIntegrity()
    {
        var ctx = As("alice", "T,T");
        ctx.Endorse();
        Assert.Equal(L("T,alice"), ctx.Label);
    }

    [Fact]
    public void Taint_IsTheLeastUpperBound()
    {
        var ctx = As("T", "alice,alice");
        ctx.Taint(L("bob,bob"));
        Assert.Equal(L("alice&bob,alice|bob"), ctx.Label);
    }

    [Fact]
    public void SuperuserPrivilege_CanDeclassifyAnything()
    {
        var ctx = As("F", "alice&bob,T");
        Assert.True(ctx.Declassify(Component.True));
        Assert.Equal(Label.Public, ctx.Label);
    }
}

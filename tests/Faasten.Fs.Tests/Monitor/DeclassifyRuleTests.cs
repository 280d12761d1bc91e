using Faasten.Labels;
using static Faasten.Fs.Tests.Monitor.FsHarness;

namespace Faasten.Fs.Tests.Monitor;

/// <summary>Rule 6 on the security context: declassify, endorse and taint.</summary>
public sealed class DeclassifyRuleTests
{
    /// <summary>Issue 12 item 5: declassify and endorse lower the label, never the high-water mark a VM is tagged with.</summary>
    [Fact]
    public void HighWater_IsEveryLabelHeld_NotTheLoweredOne()
    {
        var ctx = As("alice", "alice,T");
        Assert.Equal(L("alice,T"), ctx.HighWater);

        Assert.True(ctx.Declassify(Component.True));
        ctx.Endorse();
        ctx.Taint(L("bob,T"));

        Assert.Equal(L("bob,T"), ctx.Label);
        Assert.Equal(L("alice&bob,T"), ctx.HighWater);
        Assert.True(ctx.Label.CanFlowTo(ctx.HighWater));
    }

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

    [Theory]
    [InlineData("alice,T", "T,T", "alice", true)]
    [InlineData("alice,T", "T,T", "bob", false)]
    [InlineData("alice&bob,T", "T,T", "alice", false)]
    [InlineData("alice&bob,T", "bob,T", "alice", true)]
    [InlineData("T,T", "T,T", "T", true)]
    [InlineData("T,T", "T,alice", "T", false)]
    public void CanRelease_IsFlowToTheRequestLabelUnderThePrivilege(string response, string request, string privilege, bool released) =>
        Assert.Equal(released, SecurityContext.CanRelease(L(response), L(request), C(privilege)));

    // Issue 12 item 7: a taint whose secrecy would outgrow the limits fails as a whole.
    [Fact]
    public void Taint_SecrecyOutgrowingTheLimits_ThrowsAndFailsClosedAtTop()
    {
        var half = LabelLimits.Default.MaxClauses / 2 + 1;
        var start = L(string.Join('&', Enumerable.Range(0, half).Select(i => $"alice{i}")) + ",alice");
        var ctx = new SecurityContext(C("T"), start);

        Assert.Throws<LabelTooLargeException>(() => ctx.Taint(L(string.Join('&', Enumerable.Range(0, half).Select(i => $"bob{i}")) + ",bob")));

        // The label joined may depend on a secret: staying low would let the failure tell.
        Assert.Equal(Label.Top, ctx.Label);
        Assert.Equal(Label.Top, ctx.HighWater);
    }
}

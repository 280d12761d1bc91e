using Faasten.Fs.Records;
using Faasten.Labels;

namespace Faasten.Fs.Tests.Records;

public sealed class TaintTrailTests
{
    [Fact]
    public void Taint_ThatRaises_IsNotedWithWhatAndTheNewLabel()
    {
        var trail = new TaintTrail();
        var ctx = new SecurityContext(Component.Parse("bob"), Label.Public, trail);

        trail.Begin("read", "home:<alice,alice>:secret");
        ctx.Taint(Label.Parse("alice,T"));

        var step = Assert.Single(trail.Steps);
        Assert.Equal("read home:<alice,alice>:secret", step.What);
        Assert.Equal(Label.Parse("alice,T"), step.Label);
    }

    [Fact]
    public void Taint_ThatDoesNotRaise_IsNotNoted()
    {
        var trail = new TaintTrail();
        var ctx = new SecurityContext(Component.Parse("bob"), Label.Parse("alice,T"), trail);

        trail.Begin("read", "a");
        ctx.Taint(Label.Parse("alice,T"));
        ctx.Taint(Label.Public);

        Assert.Empty(trail.Steps);
    }

    [Fact]
    public void Steps_PastTheCap_AreDroppedAndMarked()
    {
        var trail = new TaintTrail();
        for (var i = 0; i <= TaintTrail.MaxSteps; i++)
        {
            trail.Raised(Label.Public);
        }

        Assert.Equal(TaintTrail.MaxSteps, trail.Steps.Count);
        Assert.True(trail.Truncated);
    }

    [Fact]
    public void ContextWithoutTrail_TaintsAsBefore()
    {
        var ctx = new SecurityContext(Component.Parse("bob"));

        ctx.Taint(Label.Parse("alice,T"));

        Assert.Null(ctx.Trail);
        Assert.Equal(Label.Parse("alice,T"), ctx.Label);
    }
}

namespace Faasten.Labels.Tests;

/// <summary>Flow checks run on every CloudCall, so they must not allocate. This is an allocation
/// check only; speed is measured in bench/.</summary>
public class LabelAllocationTests
{
    private const int Iterations = 10_000;

    [Fact]
    public void CanFlowTo_SmallLabels_AllocatesNothing()
    {
        var a = Label.Parse("alice/pma,alice");
        var b = Label.Parse("alice&bob,alice|bob");
        var c = Label.Parse("alice|carol&bob,T");
        var privilege = Component.Parse("alice");
        var sink = 0;
        // Warm up so tiered JIT and static initialisation are done before measuring.
        for (var i = 0; i < Iterations; i++)
        {
            sink += Run(a, b, c, privilege);
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Iterations; i++)
        {
            sink += Run(a, b, c, privilege);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.True(sink > 0);
    }

    private static int Run(Label a, Label b, Label c, Component privilege)
    {
        var n = 0;
        n += a.CanFlowTo(b) ? 1 : 0;
        n += b.CanFlowTo(a) ? 1 : 0;
        n += c.CanFlowTo(a) ? 1 : 0;
        n += a.CanFlowTo(b, privilege) ? 1 : 0;
        n += b.CanFlowTo(c, privilege) ? 1 : 0;
        n += Label.Top.CanFlowTo(Label.Bottom, Component.False) ? 1 : 0;
        n += a.Secrecy.Implies(c.Secrecy) ? 1 : 0;
        return n;
    }
}

using FsCheck;
using FsCheck.Fluent;
using static Faasten.Labels.Tests.LabelGenerators;

namespace Faasten.Labels.Tests;

public sealed class FlowExplanationTests
{
    [Fact]
    public void Explain_IsEmpty_ExactlyWhenItFlows() =>
        Check.One(PropertyConfig, Prop.ForAll(AnyLabel, AnyLabel, (a, b) => (FlowExplanation.Explain(a, b).Count == 0) == a.CanFlowTo(b)));

    [Fact]
    public void Explain_WithPrivilege_IsEmpty_ExactlyWhenItFlows() =>
        Check.One(PropertyConfig, Prop.ForAll(AnyLabel, AnyLabel, AnyComponent, (a, b, p) => (FlowExplanation.Explain(a, b, p).Count == 0) == a.CanFlowTo(b, p)));

    [Fact]
    public void Secrecy_NamesTheClauseTheTargetDoesNotKeep()
    {
        var reason = Assert.Single(FlowExplanation.Explain(Label.Parse("alice&bob,T"), Label.Parse("alice,T")));

        Assert.StartsWith("secrecy: FROM's clause bob ", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Integrity_NamesTheClauseNobodyVouchesFor()
    {
        var reason = Assert.Single(FlowExplanation.Explain(Label.Parse("T,T"), Label.Parse("T,alice")));

        Assert.StartsWith("integrity: TO's clause alice ", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Privilege_IsNamedWhenItWasNotEnough()
    {
        var reasons = FlowExplanation.Explain(Label.Parse("alice,T"), Label.Parse("T,T"), Component.Parse("bob"));

        Assert.Contains("with the privilege", Assert.Single(reasons), StringComparison.Ordinal);
    }

    [Fact]
    public void TopSecret_SaysOnlyFKeepsIt()
    {
        Assert.StartsWith("secrecy: FROM's secrecy is F", Assert.Single(FlowExplanation.Explain(Label.Top, Label.Public)), StringComparison.Ordinal);
    }
}

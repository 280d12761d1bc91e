namespace Faasten.Labels.Tests;

public class LabelTests
{
    private static Label L(string text) => Label.Parse(text);

    private static Component C(string text) => Component.Parse(text);

    [Fact]
    public void WellKnownLabels()
    {
        Assert.Equal("T,T", Label.Public.ToString());
        Assert.Equal("F,T", Label.Top.ToString());
        Assert.Equal("T,F", Label.Bottom.ToString());
    }

    [Theory]
    [InlineData("T,T", "alice,T", true)]
    [InlineData("alice,T", "T,T", false)]
    [InlineData("alice,T", "alice&bob,T", true)]
    [InlineData("alice&bob,T", "alice,T", false)]
    [InlineData("alice|bob,T", "alice,T", true)]
    [InlineData("alice,T", "alice|bob,T", false)]
    [InlineData("alice/pma,T", "alice,T", true)]
    [InlineData("alice,T", "alice/pma,T", false)]
    [InlineData("T,alice", "T,T", true)]
    [InlineData("T,T", "T,alice", false)]
    [InlineData("T,alice", "T,alice/pma", true)]
    [InlineData("T,alice/pma", "T,alice", false)]
    [InlineData("T,alice", "T,alice|bob", true)]
    [InlineData("F,T", "F,T", true)]
    [InlineData("F,T", "alice,T", false)]
    [InlineData("alice,T", "F,T", true)]
    [InlineData("T,F", "T,alice", true)]
    [InlineData("T,alice", "T,F", false)]
    [InlineData("T,F", "F,T", true)]
    [InlineData("F,T", "T,F", false)]
    public void CanFlowTo_Cases(string from, string to, bool expected) => Assert.Equal(expected, L(from).CanFlowTo(L(to)));

    [Theory]
    [InlineData("alice,T", "T,T", "alice", true)]
    [InlineData("alice,T", "T,T", "alice/pma", false)]
    [InlineData("alice/pma,T", "T,T", "alice", true)]
    [InlineData("alice&bob,T", "T,T", "alice", false)]
    [InlineData("alice&bob,T", "bob,T", "alice", true)]
    [InlineData("T,T", "T,alice", "alice", true)]
    [InlineData("T,T", "T,alice", "bob", false)]
    [InlineData("F,T", "T,T", "F", true)]
    [InlineData("F,T", "T,T", "alice", false)]
    [InlineData("T,T", "T,F", "F", true)]
    [InlineData("alice,T", "T,T", "T", false)]
    public void CanFlowTo_WithPrivilege_Cases(string from, string to, string privilege, bool expected) =>
        Assert.Equal(expected, L(from).CanFlowTo(L(to), C(privilege)));

    [Theory]
    [InlineData("alice,alice", "bob,bob", "alice&bob,alice|bob")]
    [InlineData("T,T", "alice,alice", "alice,T")]
    [InlineData("F,T", "alice,alice", "F,T")]
    [InlineData("T,F", "alice,alice", "alice,alice")]
    [InlineData("alice,alice", "alice/pma,alice/pma", "alice,alice/pma")]
    public void Lub_Cases(string a, string b, string expected) => Assert.Equal(expected, L(a).Lub(L(b)).ToString());

    [Theory]
    [InlineData("alice,alice", "bob,bob", "alice|bob,alice&bob")]
    [InlineData("T,T", "alice,alice", "T,alice")]
    [InlineData("F,T", "alice,alice", "alice,alice")]
    [InlineData("T,F", "alice,alice", "T,F")]
    public void Glb_Cases(string a, string b, string expected) => Assert.Equal(expected, L(a).Glb(L(b)).ToString());

    [Theory]
    [InlineData("alice&bob,T", "alice", "bob,alice")]
    [InlineData("alice&bob,carol", "alice", "bob,alice&carol")]
    [InlineData("alice/pma&bob,T", "alice", "bob,alice")]
    [InlineData("alice|carol&bob,T", "alice", "bob,alice")]
    [InlineData("alice&bob,T", "alice/pma", "alice&bob,alice/pma")]
    [InlineData("alice&bob,T", "F", "T,F")]
    [InlineData("F,T", "alice", "F,alice")]
    [InlineData("F,T", "F", "T,F")]
    [InlineData("alice,bob", "T", "alice,bob")]
    [InlineData("alice&bob,T", "alice&bob", "T,alice&bob")]
    public void Downgrade_Cases(string label, string privilege, string expected) =>
        Assert.Equal(expected, L(label).Downgrade(C(privilege)).ToString());

    [Theory]
    [InlineData("alice,bob", "alice", "alice,alice&bob")]
    [InlineData("alice,T", "F", "alice,F")]
    [InlineData("alice,bob", "T", "alice,bob")]
    public void Endorse_Cases(string label, string privilege, string expected) =>
        Assert.Equal(expected, L(label).Endorse(C(privilege)).ToString());

    [Theory]
    [InlineData("alice/pma|bob,alice/pma", "alice/pma|bob,alice/pma")]
    [InlineData(" bob | alice , alice ", "alice|bob,alice")]
    [InlineData("Tom,T", "Tom,T")]
    [InlineData(@"\T,F", @"\T,F")]
    [InlineData("T|x,T/y", "T|x,T/y")]
    [InlineData("b&a,T", "a&b,T")]
    public void Parse_PrintsCanonical(string text, string canonical) => Assert.Equal(canonical, L(text).ToString());

    [Theory]
    [InlineData("", 0)]
    [InlineData("alice", 5)]
    [InlineData("alice,", 6)]
    [InlineData("alice,bob,carol", 9)]
    [InlineData("a||b,T", 2)]
    [InlineData("a,b&", 4)]
    [InlineData(@"a,b\", 4)]
    [InlineData("T,T x", 4)]
    [InlineData(",T", 0)]
    public void Parse_Malformed_ReportsOffset(string text, int offset)
    {
        Assert.False(Label.TryParse(text, out _, out var error));
        Assert.Equal(offset, error.Offset);
        Assert.Equal(offset, Assert.Throws<LabelFormatException>(() => L(text)).Offset);
    }
}

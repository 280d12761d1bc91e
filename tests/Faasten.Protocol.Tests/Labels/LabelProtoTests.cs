using Faasten.Labels;
using Faasten.Protocol.Labels;
using FsCheck;
using FsCheck.Fluent;
using Google.Protobuf;
using V1 = Faasten.Protocol.V1;

namespace Faasten.Protocol.Tests.Labels;

public class LabelProtoTests
{
    [Fact]
    public void RoundTrip_RandomLabels() =>
        Check.One(RandomLabels.PropertyConfig, Prop.ForAll(RandomLabels.AnyLabel, label =>
        {
            var bytes = label.ToProto().ToByteArray();
            var decoded = V1.Label.Parser.ParseFrom(bytes).FromProto();
            return decoded.Equals(label) && decoded.ToString() == label.ToString()
                && decoded.ToProto().ToByteArray().AsSpan().SequenceEqual(bytes);
        }));

    [Theory]
    [InlineData("T,T")]
    [InlineData("F,T")]
    [InlineData("T,F")]
    [InlineData(@"alice/pma|bob&c\,d,alice/pma")]
    [InlineData(@"\T,\F")]
    public void RoundTrip_Examples(string text)
    {
        var label = Label.Parse(text);
        Assert.Equal(label, label.ToProto().FromProto());
        Assert.Equal(label.Secrecy, label.Secrecy.ToProto().FromProto());
    }

    [Fact]
    public void ToProto_EqualLabelsEncodeToEqualBytes()
    {
        var a = Label.Parse("bob|alice&carol,alice/pma|alice");
        var b = Label.Parse("carol & alice|bob, alice/pma");
        Assert.Equal(a.ToProto().ToByteArray(), b.ToProto().ToByteArray());
    }

    [Fact]
    public void ToProto_WritesCanonicalStructure()
    {
        var message = Label.Parse("b|a&c,F").ToProto();
        Assert.False(message.Secrecy.IsFalse);
        Assert.Equal(["a", "b"], message.Secrecy.Clauses[0].Principals.Select(p => p.Tokens.Single()));
        Assert.True(message.Integrity.IsFalse);
        Assert.Empty(message.Integrity.Clauses);
        Assert.Equal(["alice", "pma"], Principal.Parse("alice/pma").ToProto().Tokens);
    }

    [Fact]
    public void FromProto_CanonicalizesUnorderedRedundantInput()
    {
        var component = new V1.Component
        {
            Clauses =
            {
                Clause("bob", "carol"),
                Clause("bob"),
                Clause("alice", "alice/pma"),
            },
        };
        Assert.Equal("alice/pma&bob", component.FromProto().ToString());
    }

    [Fact]
    public void FromProto_EmptyComponentIsTrue() => Assert.True(new V1.Component().FromProto().IsTrue);

    public static TheoryData<V1.Label, string> MalformedLabels => new()
    {
        { new V1.Label { Integrity = new V1.Component() }, "secrecy" },
        { new V1.Label { Secrecy = new V1.Component() }, "integrity" },
        { new V1.Label { Secrecy = new V1.Component { IsFalse = true, Clauses = { Clause("a") } }, Integrity = new V1.Component() }, "secrecy" },
        { new V1.Label { Secrecy = new V1.Component { Clauses = { Clause("a"), new V1.Clause() } }, Integrity = new V1.Component() }, "secrecy.clauses[1]" },
        { new V1.Label { Secrecy = new V1.Component(), Integrity = new V1.Component { Clauses = { new V1.Clause { Principals = { new V1.Principal() } } } } }, "integrity.clauses[0].principals[0]" },
        { new V1.Label { Secrecy = new V1.Component(), Integrity = new V1.Component { Clauses = { new V1.Clause { Principals = { new V1.Principal { Tokens = { "a", "" } } } } } } }, "integrity.clauses[0].principals[0].tokens[1]" },
    };

    [Theory]
    [MemberData(nameof(MalformedLabels))]
    public void FromProto_Malformed_ThrowsWithPath(V1.Label message, string path)
    {
        var error = Assert.Throws<LabelMessageException>(() => message.FromProto());
        Assert.Equal(path, error.Path);
        Assert.StartsWith($"Malformed label message: {path} ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromProto_MalformedParts_Throw()
    {
        Assert.Throws<LabelMessageException>(() => new V1.Clause().FromProto());
        Assert.Throws<LabelMessageException>(() => new V1.Principal().FromProto());
        Assert.Throws<LabelMessageException>(() => new V1.Component { IsFalse = true, Clauses = { Clause("x") } }.FromProto());
    }

    // Issue 12 item 7: a VM (or a peer on the wire) sends a label message big enough to pin the
    // CPU in reduction. The decoder refuses it by counting, naming the limit and where.
    [Fact]
    public void FromProto_20000Clauses_IsRefusedBeforeReducing()
    {
        var component = new V1.Component();
        for (var i = 0; i < 20_000; i++)
        {
            component.Clauses.Add(Clause($"user{i}"));
        }
        var message = new V1.Label { Secrecy = component, Integrity = new V1.Component() };

        var error = Assert.Throws<LabelMessageException>(() => message.FromProto());

        Assert.Equal("secrecy", error.Path);
        Assert.Contains("20000 clauses", error.Message, StringComparison.Ordinal);
        Assert.Contains("LabelLimits.MaxClauses", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<V1.Label, string, string> OversizeLabels()
    {
        var limits = LabelLimits.Default;
        var wide = new V1.Clause();
        for (var i = 0; i <= limits.MaxPrincipals; i++)
        {
            wide.Principals.Add(new V1.Principal { Tokens = { $"u{i}" } });
        }
        var deep = new V1.Principal();
        for (var i = 0; i <= limits.MaxTokens; i++)
        {
            deep.Tokens.Add("a");
        }
        var longToken = new V1.Principal { Tokens = { new string('a', limits.MaxTokenLength + 1) } };
        V1.Component LongText(char c)
        {
            var component = new V1.Component();
            for (var i = 0; i < 25; i++)
            {
                component.Clauses.Add(new V1.Clause { Principals = { new V1.Principal { Tokens = { c + new string('x', 200) + i } } } });
            }
            return component;
        }
        return new()
        {
            { new V1.Label { Secrecy = new V1.Component { Clauses = { wide } }, Integrity = new V1.Component() }, "secrecy.clauses[0]", "MaxPrincipals" },
            { new V1.Label { Secrecy = new V1.Component(), Integrity = new V1.Component { Clauses = { new V1.Clause { Principals = { deep } } } } }, "integrity.clauses[0].principals[0]", "MaxTokens" },
            { new V1.Label { Secrecy = new V1.Component { Clauses = { new V1.Clause { Principals = { longToken } } } }, Integrity = new V1.Component() }, "secrecy.clauses[0].principals[0].tokens[0]", "MaxTokenLength" },
            { new V1.Label { Secrecy = LongText('a'), Integrity = LongText('b') }, "label", "MaxTextLength" },
        };
    }

    [Theory]
    [MemberData(nameof(OversizeLabels))]
    public void FromProto_OverALimit_ThrowsNamingTheLimitAndPath(V1.Label message, string path, string limit)
    {
        var error = Assert.Throws<LabelMessageException>(() => message.FromProto());
        Assert.Equal(path, error.Path);
        Assert.Contains($"LabelLimits.{limit}", error.Message, StringComparison.Ordinal);
    }

    private static V1.Clause Clause(params string[] principals)
    {
        var clause = new V1.Clause();
        foreach (var p in principals)
        {
            clause.Principals.Add(new V1.Principal { Tokens = { p.Split('/') } });
        }
        return clause;
    }
}

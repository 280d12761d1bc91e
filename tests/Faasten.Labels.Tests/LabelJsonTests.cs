using System.Text.Json;
using System.Text.Json.Serialization;

namespace Faasten.Labels.Tests;

public class LabelJsonTests
{
    private sealed record Gate(Component Privilege, Label Label, Label? Optional);

    private sealed record Plain([property: JsonConverter(typeof(LabelJsonConverter))] Label Label);

    [Fact]
    public void Serialize_UsesCanonicalString()
    {
        var gate = new Gate(Component.Parse("bob|alice"), Label.Parse(@"a\,b,T"), null);
        var json = JsonSerializer.Serialize(gate, LabelJson.Options);
        Assert.Equal("""{"privilege":"alice|bob","label":"a\\,b,T","optional":null}""", json);
        Assert.Equal(gate, JsonSerializer.Deserialize<Gate>(json, LabelJson.Options));
    }

    [Fact]
    public void Attributes_WorkWithDefaultOptions()
    {
        Assert.Equal("\"alice,alice\"", JsonSerializer.Serialize(Label.Parse("alice,alice")));
        Assert.Equal("\"F\"", JsonSerializer.Serialize(Component.False));
        Assert.Equal(Label.Top, JsonSerializer.Deserialize<Plain>("""{"Label":"F,T"}""")!.Label);
    }

    [Fact]
    public void AddLabelConverters_ExtendsCallerOptions()
    {
        var options = new JsonSerializerOptions().AddLabelConverters();
        Assert.Equal(Label.Bottom, JsonSerializer.Deserialize<Label>("\"T,F\"", options));
    }

    [Theory]
    [InlineData("\"alice,\"")]
    [InlineData("\"\"")]
    [InlineData("42")]
    [InlineData("[\"alice\",\"alice\"]")]
    public void Deserialize_Malformed_ThrowsJsonException(string json)
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Label>(json, LabelJson.Options));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Component>(json == "\"alice,\"" ? "\"a|\"" : json));
    }

    [Fact]
    public void Deserialize_Malformed_KeepsOffsetInInnerException()
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Label>("\"alice,bob,x\""));
        Assert.Equal(9, Assert.IsType<LabelFormatException>(error.InnerException).Offset);
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Faasten.Labels;

/// <summary>Reads and writes a <see cref="Label"/> as its canonical text, e.g. <c>"alice,alice"</c>.</summary>
public sealed class LabelJsonConverter : JsonConverter<Label>
{
    public override Label Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"A label must be a JSON string such as \"alice,alice\", not {reader.TokenType}.");
        }
        var text = reader.GetString()!;
        return Label.TryParse(text, out var label, out var error)
            ? label
            : throw new JsonException(error.Message, error);
    }

    public override void Write(Utf8JsonWriter writer, Label value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStringValue(value.ToString());
    }
}

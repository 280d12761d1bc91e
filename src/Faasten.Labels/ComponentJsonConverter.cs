using System.Text.Json;
using System.Text.Json.Serialization;

namespace Faasten.Labels;

/// <summary>Reads and writes a <see cref="Component"/> (a privilege, a clearance) as its canonical text.</summary>
public sealed class ComponentJsonConverter : JsonConverter<Component>
{
    public override Component Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"A label component must be a JSON string such as \"alice|bob\", not {reader.TokenType}.");
        }
        var text = reader.GetString()!;
        return Component.TryParse(text, out var component, out var error)
            ? component
            : throw new JsonException(error.Message, error);
    }

    public override void Write(Utf8JsonWriter writer, Component value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStringValue(value.ToString());
    }
}

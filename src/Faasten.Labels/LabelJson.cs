using System.Text.Json;

namespace Faasten.Labels;

/// <summary>JSON settings for label types. <see cref="Label"/> and <see cref="Component"/> also carry
/// <c>[JsonConverter]</c> attributes, so any serializer options pick the string form up.</summary>
public static class LabelJson
{
    /// <summary>Read-only web defaults plus the label and component converters.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Adds the label converters to caller-owned options.</summary>
    public static JsonSerializerOptions AddLabelConverters(this JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Converters.Add(new LabelJsonConverter());
        options.Converters.Add(new ComponentJsonConverter());
        return options;
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web).AddLabelConverters();
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

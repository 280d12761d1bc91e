using System.Text.Json.Serialization;

namespace Faasten.Fs.Objects;

/// <summary>
/// The stored (JSON) form of every object kind, short property names keeping records small;
/// <see cref="ObjectCodec"/> converts to and from the typed objects. Directory entries are
/// stored as <see cref="EntryRecord"/> values under keys of their own.
/// </summary>
internal sealed class ObjectRecord
{
    [JsonPropertyName("k")] public ObjectKind Kind { get; set; }
    [JsonPropertyName("l")] public string? Label { get; set; }
    // Entries and facets of the old layout, read only by LayoutMigration; new records never hold them.
    [JsonPropertyName("e")] public Dictionary<string, EntryRecord>? Entries { get; set; }
    [JsonPropertyName("f")] public Dictionary<string, string>? Facets { get; set; }
    [JsonPropertyName("d")] public byte[]? Data { get; set; }
    [JsonPropertyName("h")] public string? Hash { get; set; }
    [JsonPropertyName("n")] public long Length { get; set; }
    [JsonPropertyName("p")] public string? Privilege { get; set; }
    [JsonPropertyName("c")] public string? Clearance { get; set; }
    [JsonPropertyName("x")] public string? Declassify { get; set; }
    [JsonPropertyName("rt")] public string? Runtime { get; set; }
    [JsonPropertyName("mb")] public int MemoryMb { get; set; }
    [JsonPropertyName("ms")] public int TimeoutMs { get; set; }
    [JsonPropertyName("env")] public Dictionary<string, string>? Env { get; set; }
    [JsonPropertyName("cr")] public string? Cron { get; set; }
    [JsonPropertyName("t")] public string? Target { get; set; }
    [JsonPropertyName("u")] public string? Url { get; set; }
    [JsonPropertyName("v")] public string? Verb { get; set; }
    [JsonPropertyName("hd")] public Dictionary<string, string>? Headers { get; set; }
    [JsonPropertyName("tl")] public string? Taint { get; set; }
    [JsonPropertyName("s")] public string? Secret { get; set; }
    [JsonPropertyName("pl")] public string? PayloadLabel { get; set; }
    [JsonPropertyName("w")] public long WrittenMs { get; set; }
}

internal sealed class EntryRecord
{
    [JsonPropertyName("i")] public string Id { get; set; } = "";
    [JsonPropertyName("k")] public ObjectKind Kind { get; set; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault, UseStringEnumConverter = true)]
[JsonSerializable(typeof(ObjectRecord))]
[JsonSerializable(typeof(EntryRecord))]
internal sealed partial class ObjectJsonContext : JsonSerializerContext;

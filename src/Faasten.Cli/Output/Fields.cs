using System.Text.Json.Nodes;

namespace Faasten.Cli.Output;

/// <summary>An object described by the server: one "name: value" line per field for people, the JSON as is for scripts.</summary>
internal static class Fields
{
    public static ExitCode Print(CliSession session, JsonObject fields, IReadOnlyDictionary<string, Func<JsonNode, string>>? formats = null)
    {
        if (session.Json)
        {
            session.Console.Out.WriteLine(fields.ToJsonString(JsonOutput.Compact));
            return ExitCode.Success;
        }

        foreach (var (name, value) in fields)
        {
            switch (value)
            {
                case null:
                    continue;
                case JsonObject map:
                    session.Console.Out.WriteLine(map.Count == 0 ? $"{name}: (none)" : $"{name}:");
                    foreach (var (key, item) in map)
                    {
                        session.Console.Out.WriteLine($"  {key}={Text(item)}");
                    }
                    break;
                case JsonArray list:
                    session.Console.Out.WriteLine($"{name}: {(list.Count == 0 ? "(none)" : string.Join(", ", list.Select(Text)))}");
                    break;
                default:
                    var format = formats is not null && formats.TryGetValue(name, out var f) ? f : Text;
                    session.Console.Out.WriteLine($"{name}: {format(value)}");
                    break;
            }
        }
        return ExitCode.Success;
    }

    private static string Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString() ?? "null";
}

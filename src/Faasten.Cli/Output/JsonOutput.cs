using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Faasten.Cli.Output;

/// <summary>
/// How JSON is printed: relaxed escaping, since output goes to terminals and scripts, not
/// into HTML (so "it's" is not printed as "it\u0027s").
/// </summary>
internal static class JsonOutput
{
    public static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static readonly JsonSerializerOptions Indented = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = true };

    public static void Write(TextWriter output, JsonNode node) => output.WriteLine(node.ToJsonString(Compact));
}

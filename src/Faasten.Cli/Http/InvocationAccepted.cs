using System.Text.Json;

namespace Faasten.Cli.Http;

/// <summary>202 from <c>POST /invoke</c> with <c>sync: false</c>; the id is kept raw (string or number).</summary>
internal sealed record InvocationAccepted(JsonElement Id)
{
    public string IdText => Id.ValueKind == JsonValueKind.String ? Id.GetString()! : Id.GetRawText();
}

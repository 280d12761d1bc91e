using System.Diagnostics.Metrics;
using System.Text;
using Case = Faasten.Protocol.V1.CloudCallRequest.CallOneofCase;

namespace Faasten.Kernel;

/// <summary>
/// Counts CloudCalls by kind (<c>fs_read</c>, <c>invoke</c>, ...) on a counter the host owns: the
/// kind is the only tag, a fixed vocabulary of the protocol, never a path or label.
/// </summary>
public sealed class CloudCallKinds(Counter<long> counter)
{
    private static readonly Dictionary<Case, KeyValuePair<string, object?>> Tags = Enum.GetValues<Case>()
        .ToDictionary(c => c, c => new KeyValuePair<string, object?>("kind", SnakeCase(c.ToString())));

    private static readonly KeyValuePair<string, object?> Other = new("kind", "other");

    internal void Count(Case kind) => counter.Add(1, Tags.GetValueOrDefault(kind, Other));

    private static string SnakeCase(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            if (char.IsUpper(c) && text.Length > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }
}

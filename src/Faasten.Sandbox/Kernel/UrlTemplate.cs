using System.Text;

namespace Faasten.Sandbox.Kernel;

/// <summary>
/// Fills a service URL's <c>{name}</c> placeholders. Values are URI-escaped, so a parameter
/// can change a path segment or query value but never the scheme, host or structure.
/// </summary>
internal static class UrlTemplate
{
    /// <summary>Returns the URL, or null with the name of the first placeholder that has no value.</summary>
    public static string? Fill(string template, IReadOnlyDictionary<string, string> values, out string? missing)
    {
        missing = null;
        var sb = new StringBuilder(template.Length);
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            var close = open < 0 ? -1 : template.IndexOf('}', open + 1);
            if (close < 0)
            {
                sb.Append(template, i, template.Length - i);
                break;
            }

            sb.Append(template, i, open - i);
            var name = template[(open + 1)..close];
            if (!values.TryGetValue(name, out var value))
            {
                missing = name;
                return null;
            }

            sb.Append(Uri.EscapeDataString(value));
            i = close + 1;
        }

        return sb.ToString();
    }
}

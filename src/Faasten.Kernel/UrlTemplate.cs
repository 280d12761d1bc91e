using System.Text;

namespace Faasten.Kernel;

/// <summary>
/// Fills a service URL's <c>{name}</c> placeholders. Each value is percent-encoded whole (so
/// <c>/</c>, <c>?</c>, <c>#</c> and <c>%</c> arrive as data), making it exactly one path segment
/// or one query value: a parameter can change that segment or value but never the scheme, host
/// or the URL's structure.
/// </summary>
/// <remarks>
/// Dots are unreserved, so encoding leaves <c>.</c> and <c>..</c> as they are, and URL parsers
/// resolve them (<c>/api/{name}</c> with <c>..</c> would send <c>GET /</c>); encoding them as
/// <c>%2E</c> does not help, as some HTTP stacks decode and resolve those too. A path value equal
/// to <c>.</c> or <c>..</c> is therefore refused, as is an empty one, which some stacks merge away
/// with its neighbour's slash. In the query such values are plain data.
/// </remarks>
internal static class UrlTemplate
{
    /// <summary>
    /// Returns the URL, or null with <paramref name="problem"/> saying (after "service 'x' ")
    /// which placeholder has no value or an unusable one.
    /// </summary>
    public static string? Fill(string template, IReadOnlyDictionary<string, string> values, out string? problem)
    {
        problem = null;
        var query = template.IndexOfAny(['?', '#']) is var at and >= 0 ? at : template.Length;
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
                problem = $"needs the parameter '{KernelErrors.Quote(name)}'";
                return null;
            }

            if (open < query && value is "" or "." or "..")
            {
                problem = $"refuses '{value}' as the parameter '{KernelErrors.Quote(name)}': a path segment may not be empty, '.' or '..'";
                return null;
            }

            sb.Append(Uri.EscapeDataString(value));
            i = close + 1;
        }

        return sb.ToString();
    }
}

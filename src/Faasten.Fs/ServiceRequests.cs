namespace Faasten.Fs;

/// <summary>
/// What a service's fixed request parts may hold, checked when the service is created so a
/// bad verb or header fails there, clearly, rather than on every later invocation — and so
/// nothing stored can split or smuggle a request (CR, LF and NUL are never allowed).
/// </summary>
public static class ServiceRequests
{
    public const int MaxVerbLength = 16;
    public const int MaxHeaders = 32;
    public const int MaxHeaderBytes = 8 * 1024;
    public const int MaxUrlTemplateLength = 2048;

    /// <summary>The first problem with <paramref name="spec"/>'s URL, verb or headers, or null.</summary>
    public static string? Validate(ServiceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.UrlTemplate.Length > MaxUrlTemplateLength || HasControl(spec.UrlTemplate))
        {
            return $"a service URL is at most {MaxUrlTemplateLength} characters without control characters";
        }

        if (!Uri.TryCreate(spec.UrlTemplate.Replace("{", "", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return "a service URL must be an absolute http or https URL";
        }

        // Placeholders fill the path or the query, never the scheme or the host.
        var authorityEnd = spec.UrlTemplate.IndexOf('/', spec.UrlTemplate.IndexOf("//", StringComparison.Ordinal) + 2);
        var authority = authorityEnd < 0 ? spec.UrlTemplate : spec.UrlTemplate[..authorityEnd];
        if (authority.Contains('{', StringComparison.Ordinal) || authority.Contains('}', StringComparison.Ordinal))
        {
            return "a service URL's placeholders may stand in its path or query, not its scheme or host";
        }

        if (spec.Verb.Length is 0 or > MaxVerbLength || !spec.Verb.All(char.IsAsciiLetter))
        {
            return $"a service's HTTP verb is 1–{MaxVerbLength} ASCII letters";
        }

        if (spec.Headers.Count > MaxHeaders)
        {
            return $"a service has at most {MaxHeaders} fixed headers";
        }

        var bytes = 0;
        foreach (var (name, value) in spec.Headers)
        {
            if (name.Length == 0 || !name.All(IsTokenChar))
            {
                return $"header name '{Printable(name)}' is not an HTTP token";
            }

            if (value is null || HasControl(value))
            {
                return $"the value of header '{name}' is missing or holds a control character (CR, LF and NUL would split the request)";
            }

            bytes += name.Length + value.Length;
        }

        return bytes > MaxHeaderBytes ? $"a service's fixed headers total at most {MaxHeaderBytes} characters" : null;
    }

    // RFC 9110 token: visible ASCII except delimiters.
    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);

    private static bool HasControl(string s) => s.Any(c => c < 0x20 && c != '\t' || c == 0x7f);

    private static string Printable(string s)
    {
        var cut = s.Length <= 64 ? s : s[..64];
        return new string(cut.Select(c => char.IsControl(c) ? '?' : c).ToArray());
    }
}

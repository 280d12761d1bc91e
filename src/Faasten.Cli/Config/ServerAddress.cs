using System.Diagnostics.CodeAnalysis;

namespace Faasten.Cli.Config;

/// <summary>Parses and normalizes a server address so one server has one key in the credentials file.</summary>
internal static class ServerAddress
{
    /// <summary>Accepts <c>http(s)://host:port[/prefix]</c> or a bare <c>host:port</c> (taken as http).</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out Uri? server)
    {
        var candidate = text.Contains("://", StringComparison.Ordinal) ? text : "http://" + text;
        if (Uri.TryCreate(candidate, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment))
        {
            // A trailing slash makes relative routes resolve under a path prefix, if any.
            server = new Uri(uri.AbsoluteUri.TrimEnd('/') + "/");
            return true;
        }
        server = null;
        return false;
    }

    /// <summary>The credentials-file key for a server: its address without the trailing slash.</summary>
    public static string Key(Uri server) => server.AbsoluteUri.TrimEnd('/');
}

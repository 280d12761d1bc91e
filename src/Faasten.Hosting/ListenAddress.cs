using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace Faasten.Hosting;

/// <summary><c>HOST:PORT</c> for <c>--listen</c>: an IP address (IPv6 in brackets) or <c>localhost</c>, and a port (0 picks a free one).</summary>
internal static class ListenAddress
{
    public const string Default = "127.0.0.1:8080";

    public static bool TryParse(string? text, [NotNullWhen(true)] out IPEndPoint? endpoint, out string error)
    {
        endpoint = null;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "the listen address is empty; expected HOST:PORT such as 127.0.0.1:8080";
            return false;
        }

        var colon = text.LastIndexOf(':');
        var host = colon > 0 ? text[..colon] : "";
        var port = colon > 0 ? text[(colon + 1)..] : "";
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }
        else if (host.Contains(':', StringComparison.Ordinal))
        {
            host = "";
        }

        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            host = "127.0.0.1";
        }

        if (!IPAddress.TryParse(host, out var address)
            || !int.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
            || number > IPEndPoint.MaxPort)
        {
            error = $"'{text}' is not HOST:PORT with an IP address or localhost as host (e.g. 127.0.0.1:8080, 0.0.0.0:8080, [::1]:8080)";
            return false;
        }

        endpoint = new IPEndPoint(address, number);
        return true;
    }
}

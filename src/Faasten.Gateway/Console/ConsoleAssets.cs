using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace Faasten.Gateway.Console;

/// <summary>
/// The console's static files, compiled into this assembly as resources (Console/wwwroot), so
/// the gateway serves them wherever it runs, with no content root to configure and nothing on
/// disk to tamper with. Read once; each asset keeps its bytes, content type and ETag.
/// </summary>
internal sealed class ConsoleAssets
{
    private const string Prefix = "console/";

    private readonly FrozenDictionary<string, ConsoleAsset> _assets;

    private ConsoleAssets(FrozenDictionary<string, ConsoleAsset> assets) => _assets = assets;

    public static ConsoleAssets Embedded { get; } = Load(typeof(ConsoleAssets).Assembly);

    public IEnumerable<string> Names => _assets.Keys;

    public bool TryGet(string name, out ConsoleAsset asset) => _assets.TryGetValue(name, out asset!);

    private static ConsoleAssets Load(Assembly assembly)
    {
        var assets = new Dictionary<string, ConsoleAsset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var name = resource[Prefix.Length..];
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 16)) + "\"";
            assets[name] = new ConsoleAsset(bytes, ContentTypeOf(name), etag);
        }

        return new ConsoleAssets(assets.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private static string ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        _ => "application/octet-stream",
    };
}

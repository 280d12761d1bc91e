using System.Security.Cryptography;

namespace Faasten.Gateway.Auth;

/// <summary>
/// The HMAC-SHA256 key that signs bearer tokens: generated once, kept in the data directory
/// readable by the owner only (0600), so tokens survive restarts and `faasten admin token`
/// issues tokens the server accepts.
/// </summary>
public sealed class TokenSigningKey
{
    public const string FileName = "token-signing.key";
    private const int KeyBytes = 64;

    public TokenSigningKey(byte[] key)
    {
        if (key.Length < 32)
        {
            throw new ArgumentException("a token signing key needs at least 256 bits", nameof(key));
        }

        Key = key;
    }

    public byte[] Key { get; }

    /// <summary>The key in <paramref name="dataDirectory"/>'s <see cref="FileName"/>, made on first use.</summary>
    public static TokenSigningKey LoadOrCreate(string dataDirectory) => LoadOrCreateFile(Path.Combine(dataDirectory, FileName));

    /// <summary>The key in <paramref name="path"/>, made on first use (gateways that share one key file agree on it).</summary>
    public static TokenSigningKey LoadOrCreateFile(string path)
    {
        if (!File.Exists(path))
        {
            // Written aside and moved into place without overwrite, so a concurrent `serve` and
            // `admin` never read a half-written key and agree on one winner.
            var fresh = RandomNumberGenerator.GetBytes(KeyBytes);
            var temp = path + "." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) + ".tmp";
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temp, options))
            {
                stream.Write(fresh);
                stream.Flush(flushToDisk: true);
            }

            try
            {
                File.Move(temp, path, overwrite: false);
                return new TokenSigningKey(fresh);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temp);
            }
        }

        var key = File.ReadAllBytes(path);
        return key.Length >= 32
            ? new TokenSigningKey(key)
            : throw new InvalidDataException($"{path} holds {key.Length} bytes; a signing key needs at least 32 (delete it to generate a new one, which invalidates every token)");
    }
}

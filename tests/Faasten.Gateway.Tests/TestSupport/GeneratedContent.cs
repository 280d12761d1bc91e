using System.Net;
using System.Security.Cryptography;

namespace Faasten.Gateway.Tests.TestSupport;

/// <summary>
/// A request body of any size generated on the fly (deterministic pseudo-random bytes),
/// hashed as it is sent: large uploads without holding them in memory.
/// </summary>
internal sealed class GeneratedContent(long length, int seed, bool declareLength) : HttpContent
{
    private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public string Sha256 { get; private set; } = "";

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        var random = new Random(seed);
        var chunk = new byte[256 * 1024];
        for (var sent = 0L; sent < length; sent += chunk.Length)
        {
            var n = (int)Math.Min(chunk.Length, length - sent);
            random.NextBytes(chunk.AsSpan(0, n));
            _sha.AppendData(chunk, 0, n);
            await stream.WriteAsync(chunk.AsMemory(0, n));
        }

        Sha256 = Convert.ToHexStringLower(_sha.GetHashAndReset());
    }

    protected override bool TryComputeLength(out long length1)
    {
        length1 = length;
        return declareLength;
    }

    protected override void Dispose(bool disposing)
    {
        _sha.Dispose();
        base.Dispose(disposing);
    }
}

namespace Faasten.Sandbox.Images;

/// <summary>
/// An unpacked image held in the cache: while any lease on it is undisposed, eviction leaves its
/// directory alone. A VM holds one from before it starts until it is destroyed.
/// </summary>
public sealed class FunctionImageLease : IDisposable
{
    private FunctionImageCache? _cache;

    internal FunctionImageLease(FunctionImageCache cache, string hash, string directory)
    {
        _cache = cache;
        Hash = hash;
        Directory = directory;
    }

    /// <summary>The image blob's SHA-256 (lower-case hex).</summary>
    public string Hash { get; }

    /// <summary>The unpacked image, to mount read-only at /srv.</summary>
    public string Directory { get; }

    /// <summary>Lets go of the image (idempotent); it stays cached until evicted.</summary>
    public void Dispose() => Interlocked.Exchange(ref _cache, null)?.Release(Hash);
}

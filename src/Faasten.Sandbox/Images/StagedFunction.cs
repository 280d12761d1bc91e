namespace Faasten.Sandbox.Images;

/// <summary>
/// A function directory ready to mount at /srv for one local run (<c>faasten run</c>): an
/// unpacked image held in the cache, or a staged copy of a source directory. Disposing lets
/// the cache evict the image, or deletes the copy.
/// </summary>
public sealed class StagedFunction(string directory, Action release) : IDisposable
{
    private Action? _release = release;

    public string Directory { get; } = directory;

    public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
}

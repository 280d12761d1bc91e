using Faasten.Fs.Storage;

namespace Faasten.Worker.Execution;

/// <summary>Image blobs unpacked once each into a cache directory by the sandbox's image cache.</summary>
internal sealed class CachedFunctionImages(IBlobStore blobs, string directory) : IFunctionImages
{
    public ValueTask<string> GetDirectoryAsync(string imageHash, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"image cache not wired yet ({blobs}, {directory})");
}

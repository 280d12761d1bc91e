using Faasten.Fs.Storage;
using Faasten.Sandbox.Images;

namespace Faasten.Worker.Execution;

/// <summary>Image blobs from the blob store, unpacked once each by the sandbox's image cache.</summary>
internal sealed class CachedFunctionImages(IBlobStore blobs, FunctionImageCache cache) : IFunctionImages
{
    /// <exception cref="InvalidDataException">The blob is not a usable SquashFS function image.</exception>
    public ValueTask<string> GetDirectoryAsync(string imageHash, CancellationToken cancellationToken) =>
        cache.GetDirectoryAsync(imageHash, async ct =>
            await blobs.OpenReadAsync(imageHash, ct).ConfigureAwait(false)
                ?? throw new FileNotFoundException($"the blob store has no image {imageHash}"),
            cancellationToken);
}

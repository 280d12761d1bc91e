using Faasten.Fs.Storage;
using Faasten.Protocol.Invocations;
using Faasten.Sandbox.Images;
using Faasten.Sandbox.Vm;

namespace Faasten.Worker.Execution;

/// <summary>Image blobs from the blob store, unpacked once each by the sandbox's image cache.</summary>
internal sealed class CachedFunctionImages(IBlobStore blobs, FunctionImageCache cache) : IFunctionImages
{
    /// <exception cref="InvalidDataException">The blob is not a usable SquashFS function image (or unpacks too large).</exception>
    /// <exception cref="VmStartException">Images in use fill the cache (OutOfMemory: the worker lacks room, as for memory).</exception>
    public async ValueTask<string> GetDirectoryAsync(string imageHash, CancellationToken cancellationToken)
    {
        using var lease = await AcquireAsync(imageHash, cancellationToken).ConfigureAwait(false);
        return lease.Directory;
    }

    /// <summary>The image held until the lease is disposed; see <see cref="ImageLeasingBackend"/>.</summary>
    public async ValueTask<FunctionImageLease> AcquireAsync(string imageHash, CancellationToken cancellationToken)
    {
        try
        {
            return await cache.AcquireAsync(imageHash, async ct =>
                await blobs.OpenReadAsync(imageHash, ct).ConfigureAwait(false)
                    ?? throw new FileNotFoundException($"the blob store has no image {imageHash}"),
                cancellationToken).ConfigureAwait(false);
        }
        catch (ImageCacheFullException e)
        {
            throw new VmStartException(InvocationStatus.OutOfMemory, e.Message, e);
        }
    }

    public bool IsCached(string directory, out string imageHash) => cache.TryGetHash(directory, out imageHash);
}

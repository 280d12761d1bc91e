using Faasten.Sandbox.Vm;

namespace Faasten.Worker.Execution;

/// <summary>
/// Makes every VM whose image comes from the image cache hold that image from before it starts
/// until it is destroyed, idle time in the pool included, so the cache never evicts an image a
/// VM mounts. The lease is taken again here, after the spec was made, because the image may
/// have been evicted in between (it is then unpacked again).
/// </summary>
internal sealed class ImageLeasingBackend(IVmBackend inner, CachedFunctionImages images) : IVmBackend
{
    public async ValueTask<IVm> StartAsync(VmSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!images.IsCached(spec.ImageDirectory, out var hash))
        {
            return await inner.StartAsync(spec, cancellationToken).ConfigureAwait(false);
        }

        var lease = await images.AcquireAsync(hash, cancellationToken).ConfigureAwait(false);
        try
        {
            return new LeasedVm(await inner.StartAsync(spec, cancellationToken).ConfigureAwait(false), lease);
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    public ValueTask PrepareAsync(VmSpec spec, CancellationToken cancellationToken = default) => inner.PrepareAsync(spec, cancellationToken);
}

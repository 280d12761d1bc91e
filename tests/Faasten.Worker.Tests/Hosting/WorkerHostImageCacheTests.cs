using Faasten.Protocol.Invocations;
using Faasten.Protocol.V1;
using Faasten.Sandbox.Images;
using Faasten.Tests.Common;
using Faasten.Worker.Hosting;
using Faasten.Worker.Tests.Support;
using static Faasten.Worker.Tests.Support.FsHarness;

namespace Faasten.Worker.Tests.Hosting;

/// <summary>
/// The bounded image cache as the worker uses it: an image a VM mounts (idle in the pool
/// included) is never evicted, and an image that cannot be unpacked within the bounds fails
/// its invocation with a status and a reason.
/// </summary>
public sealed class WorkerHostImageCacheTests : IAsyncLifetime
{
    private const long MiB = 1024 * 1024;
    private readonly TempDirectory _cache = new("faasten-image-cache");
    private FsHarness _fs = null!;

    public async Task InitializeAsync() => _fs = await CreateAsync();

    public async Task DisposeAsync()
    {
        await _fs.DisposeAsync();
        _cache.Dispose();
    }

    [Fact]
    public async Task Invoke_ImageUnpackingBeyondTheBound_FailsWithTheReason_AndCachesNothing()
    {
        var backend = new FakeVmBackend();
        await using var host = await WorkerHost.CreateAsync(_fs.Fs, backend, Options(new FunctionImageCacheOptions { MaxUnpackedBytes = 4 * MiB }));
        await _fs.CreateGateAsync("bomb", privilege: "T", clearance: "T", label: "T,T", image: await SquashImage.BuildAsync("", zeroBytes: 50 * MiB));

        var reply = await host.Invoker.InvokeAsync(Request("bomb", "T"));

        Assert.Equal(InvocationStatus.Crashed, reply.Status);
        Assert.Contains("unpacks to more than the 4 MiB", reply.BodyText, StringComparison.Ordinal);
        Assert.Equal(0, backend.Started);
        Assert.Empty(Directory.GetFileSystemEntries(_cache.Path));
    }

    [Fact]
    public async Task Invoke_CacheFullOfImagesThatVmsHold_RefusesANewImage_ThenEvictsOnceTheVmIsGone()
    {
        var backend = new FakeVmBackend();
        // Room for one image of 1 MiB, not two.
        await using var host = await WorkerHost.CreateAsync(_fs.Fs, backend, Options(new FunctionImageCacheOptions { MaxUnpackedBytes = 3 * MiB / 2, MaxCacheBytes = 3 * MiB / 2 }));
        var alices = await _fs.CreateGateAsync("alices", privilege: "T", clearance: "T", label: "T,T", image: await SquashImage.BuildAsync("# alice's", zeroBytes: MiB));
        var bobs = await _fs.CreateGateAsync("bobs", privilege: "T", clearance: "T", label: "T,T", image: await SquashImage.BuildAsync("# bob's", zeroBytes: MiB));

        Assert.Equal(InvocationStatus.Ok, (await host.Invoker.InvokeAsync(Request("alices", "T"))).Status);
        var refused = await host.Invoker.InvokeAsync(Request("bobs", "T"));

        // Alice's VM, idle in the pool, still mounts her image: bob's may not push it out.
        Assert.Equal(InvocationStatus.OutOfMemory, refused.Status);
        Assert.Contains("image cache is full", refused.BodyText, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_cache.Path, alices.ImageHash, "workload.py")));

        await host.EvictIdleVmsAsync();
        Assert.Equal(InvocationStatus.Ok, (await host.Invoker.InvokeAsync(Request("bobs", "T"))).Status);
        Assert.Equal([bobs.ImageHash], Directory.GetFileSystemEntries(_cache.Path).Select(Path.GetFileName));
    }

    private WorkerOptions Options(FunctionImageCacheOptions cache) => new() { Slots = 2, ImageCacheDirectory = _cache.Path, ImageCache = cache };
}

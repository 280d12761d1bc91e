using System.Net;
using Faasten.Gateway.Tests.TestSupport;
using static Faasten.Gateway.Tests.TestSupport.HttpHelpers;

namespace Faasten.Gateway.Tests.Fs;

[CollectionDefinition(nameof(BlobMemoryTests), DisableParallelization = true)]
public sealed class BlobMemoryCollection;

/// <summary>Upload and download stream: moving 64 MiB allocates a small fraction of it (measured alone, process-wide).</summary>
[Collection(nameof(BlobMemoryTests))]
public sealed class BlobMemoryTests
{
    private const long Size = 64L * 1024 * 1024;

    [Fact]
    public async Task LargeBlob_UploadAndDownload_AllocateFarLessThanTheBlob()
    {
        await using var h = await GatewayHarness.StartAsync();
        using var alice = await h.ClientAsync("alice");
        var path = "home:<alice,alice>:memory";

        // Warm the route first so JIT and pool growth are not counted.
        (await alice.PostAsync($"/fs/blob?path={Q(path + "-warm")}", new GeneratedContent(1024 * 1024, 1, declareLength: false))).Dispose();

        var before = GC.GetTotalAllocatedBytes(precise: true);
        using (var upload = await alice.PostAsync($"/fs/blob?path={Q(path)}", new GeneratedContent(Size, 7, declareLength: false)))
        {
            Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        }

        using (var download = await alice.GetAsync($"/fs/blob?path={Q(path)}", HttpCompletionOption.ResponseHeadersRead))
        {
            await using var stream = await download.Content.ReadAsStreamAsync();
            await stream.CopyToAsync(Stream.Null);
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.True(allocated < Size / 4, $"moving {Size >> 20} MiB allocated {allocated >> 20} MiB");
    }
}

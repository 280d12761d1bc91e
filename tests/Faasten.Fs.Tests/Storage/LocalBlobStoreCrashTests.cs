using System.Security.Cryptography;
using System.Text;
using Faasten.Fs.Storage;
using Faasten.Tests.Common;
using Faasten.Tests.Common.Storage;

namespace Faasten.Fs.Tests.Storage;

public sealed class LocalBlobStoreCrashTests : IDisposable
{
    private readonly TempDirectory _root = new("faasten-blobs");

    [Fact]
    public async Task ProcessKilledMidUpload_LeavesNoBlobUnderAnyHashAndStoreRecovers()
    {
        using var child = CrashHelperProcess.Start("blob", _root.Path);
        var committed = (await child.WaitForLineAsync(l => l.StartsWith("committed ", StringComparison.Ordinal), TimeSpan.FromSeconds(60)))["committed ".Length..];
        await child.WaitForLineAsync(l => l == "ready", TimeSpan.FromSeconds(60));

        await child.KillAsync();

        // Only the blob committed before the kill exists, and every published file is whole.
        var published = Directory.GetDirectories(_root.Path).Where(d => Path.GetFileName(d) != "tmp").SelectMany(Directory.GetFiles).ToList();
        Assert.Equal([committed], published.Select(Path.GetFileName));
        foreach (var file in published)
        {
            Assert.Equal(Path.GetFileName(file), Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(file))));
        }

        // The partial upload is only a temp file, which reopening the store removes.
        Assert.NotEmpty(Directory.GetFiles(_root.Combine("tmp")));
        var store = new LocalBlobStore(_root.Path);
        Assert.Empty(Directory.GetFiles(_root.Combine("tmp")));

        Assert.Equal("survives the crash", Encoding.UTF8.GetString(await LocalBlobStoreTests.ReadAllAsync(store, committed)));
        var fresh = await LocalBlobStoreTests.WriteAsync(store, Encoding.UTF8.GetBytes("after the crash"));
        Assert.Equal("after the crash", Encoding.UTF8.GetString(await LocalBlobStoreTests.ReadAllAsync(store, fresh)));
    }

    public void Dispose() => _root.Dispose();
}

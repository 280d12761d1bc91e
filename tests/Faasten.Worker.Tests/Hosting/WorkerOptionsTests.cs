using Faasten.Worker.Hosting;

namespace Faasten.Worker.Tests.Hosting;

public sealed class WorkerOptionsTests
{
    [Fact]
    public void DefaultImageCache_IsNotInASharedTempDirectory()
    {
        // Whoever creates the cache directory first owns it, and can plant any function in it:
        // the default must live where only this user (or root) can create it.
        var directory = new WorkerOptions().ImageCacheDirectory;

        Assert.False(directory.StartsWith(Path.GetTempPath(), StringComparison.Ordinal), directory);
        Assert.Equal(
            Environment.IsPrivilegedProcess ? "/var/cache/faasten/images" : Path.Combine("faasten", "images"),
            Environment.IsPrivilegedProcess ? directory : Path.Combine(Path.GetFileName(Path.GetDirectoryName(directory)!), Path.GetFileName(directory)));
    }
}

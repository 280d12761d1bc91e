using System.Diagnostics;
using Faasten.Tests.Common;

namespace Faasten.Worker.Tests.Support;

/// <summary>Builds a real function image (SquashFS, as <c>fstn build</c> does) from a workload.</summary>
internal static class SquashImage
{
    public static async Task<byte[]> BuildAsync(string workload)
    {
        using var work = new TempDirectory("faasten-image");
        var source = work.Combine("src");
        Directory.CreateDirectory(source);
        await File.WriteAllTextAsync(Path.Combine(source, "workload.py"), workload);
        var image = work.Combine("image.sqfs");
        using (var mksquashfs = Process.Start(new ProcessStartInfo("mksquashfs", [source, image, "-quiet", "-no-progress", "-all-root"]) { RedirectStandardOutput = true })!)
        {
            await mksquashfs.WaitForExitAsync();
            Assert.Equal(0, mksquashfs.ExitCode);
        }

        return await File.ReadAllBytesAsync(image);
    }
}

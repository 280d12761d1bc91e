using System.Diagnostics;
using Faasten.Tests.Common;

namespace Faasten.Worker.Tests.Support;

/// <summary>Builds a real function image (SquashFS, as <c>fstn build</c> does) from a workload.</summary>
internal static class SquashImage
{
    /// <param name="zeroBytes">Size of an extra file of zeros (sparse in the source, a few bytes in the image).</param>
    public static async Task<byte[]> BuildAsync(string workload, long zeroBytes = 0)
    {
        using var work = new TempDirectory("faasten-image");
        var source = work.Combine("src");
        Directory.CreateDirectory(source);
        await File.WriteAllTextAsync(Path.Combine(source, "workload.py"), workload);
        if (zeroBytes > 0)
        {
            using var zeros = File.Create(Path.Combine(source, "zeros"));
            zeros.SetLength(zeroBytes);
        }

        var image = work.Combine("image.sqfs");
        using (var mksquashfs = Process.Start(new ProcessStartInfo("mksquashfs", [source, image, "-quiet", "-no-progress", "-all-root"]) { RedirectStandardOutput = true })!)
        {
            await mksquashfs.WaitForExitAsync();
            Assert.Equal(0, mksquashfs.ExitCode);
        }

        return await File.ReadAllBytesAsync(image);
    }
}

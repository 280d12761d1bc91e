using System.Diagnostics;

namespace Faasten.Sandbox.Tests.Images;

/// <summary>Runs the real <c>fstn</c> executable built next to the tests.</summary>
internal static class Fstn
{
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "fstn"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Builds <paramref name="directory"/> into <paramref name="image"/>, asserting success.</summary>
    public static async Task BuildAsync(string directory, string image)
    {
        var (exitCode, output) = await RunAsync("build", directory, "-o", image);
        Assert.True(exitCode == 0, output);
    }
}

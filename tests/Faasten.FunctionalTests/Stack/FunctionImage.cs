using Faasten.Cli.Commands;
using Faasten.Tests.Common;

namespace Faasten.FunctionalTests.Stack;

/// <summary>Function images built exactly as <c>fstn build</c> builds them (SquashFS).</summary>
internal static class FunctionImage
{
    public static async Task<byte[]> BuildAsync(string sourceDirectory)
    {
        using var work = new TempDirectory("faasten-image");
        var output = work.Combine("image.sqfs");
        var failure = await BuildCommand.BuildImageAsync(sourceDirectory, output, CancellationToken.None);
        Assert.True(failure is null, $"building {sourceDirectory}: {failure}");
        return await File.ReadAllBytesAsync(output);
    }

    public static async Task<byte[]> FromWorkloadAsync(string workload)
    {
        using var source = new TempDirectory("faasten-fn");
        await File.WriteAllTextAsync(source.Combine("workload.py"), workload);
        return await BuildAsync(source.Path);
    }
}

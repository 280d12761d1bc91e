using Faasten.Cli;
using Faasten.Cli.Commands;

namespace Faasten.Cli.Tests.Support;

/// <summary>Runs the whole <c>fstn</c> command tree in-process against a test console and environment.</summary>
internal sealed class FstnRunner(TempHome home, TestConsole console)
{
    /// <summary>The register command's builder: by default writes a small fake image.</summary>
    public ImageBuilder BuildImage { get; set; } = static async (_, output, ct) =>
    {
        await File.WriteAllBytesAsync(output, "hsqs-fake-image"u8.ToArray(), ct);
        return null;
    };

    public async Task<int> RunAsync(params string[] args)
    {
        var host = new CliHost(console.Console, home.Environment);
        return await CliRoot.InvokeAsync(CliRoot.Create(host, BuildImage), args, console.Console);
    }
}

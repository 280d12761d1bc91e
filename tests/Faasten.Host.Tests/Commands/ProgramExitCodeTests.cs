using Faasten.Host.Tests.Support;
using Faasten.Tests.Common;

namespace Faasten.Host.Tests.Commands;

/// <summary>The faasten executable's exit codes, as scripts see them.</summary>
public class ProgramExitCodeTests
{
    [Theory]
    [InlineData(new[] { "label", "flows", "alice,T", "T,T" }, 1)] // does not flow
    [InlineData(new[] { "label", "flows", "alice,T" }, 2)] // missing argument: not "does not flow"
    [InlineData(new[] { "label", "flows", "T,T", "alice,T", "--bogus" }, 2)]
    [InlineData(new[] { "label", "nosuch" }, 2)]
    [InlineData(new[] { "nosuch" }, 2)]
    [InlineData(new[] { "label", "flows", "T,T", "alice,T" }, 0)]
    public async Task UsageErrors_Exit2_DistinctFromDoesNotFlow(string[] args, int expected)
    {
        var (exitCode, output, error) = await RunAsync(args);

        Assert.True(exitCode == expected, $"exit {exitCode}, expected {expected}: {output}{error}");
        Assert.Equal(expected == 2, error.Length > 0);
    }

    [Fact]
    public async Task Serve_TempDirectoryTooLongForVmSockets_RefusesToStartWithTheFix()
    {
        using var dir = new TempDirectory("fhl");
        var longTemp = Directory.CreateDirectory(Path.Combine(dir.Path, new string('t', 80))).FullName;

        var (exitCode, _, error) = await RunAsync(["serve", "--data", dir.Combine("data"), "--listen", "127.0.0.1:0"], ("TMPDIR", longTemp));

        Assert.Equal(2, exitCode);
        Assert.Contains("set TMPDIR", error, StringComparison.Ordinal);
        Assert.Contains(longTemp, error, StringComparison.Ordinal);
    }

    private static Task<(int ExitCode, string Output, string Error)> RunAsync(string[] args, params (string Name, string Value)[] environment) =>
        FaastenProcess.RunAsync(args, environment: environment);
}

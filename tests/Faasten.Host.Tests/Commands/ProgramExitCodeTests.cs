using System.Diagnostics;

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
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "faasten.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == expected, $"exit {process.ExitCode}, expected {expected}: {await stdout}{await stderr}");
        Assert.Equal(expected == 2, (await stderr).Length > 0);
    }
}

using System.Diagnostics;

namespace Faasten.Sandbox.Tests.Runtime;

/// <summary>
/// The runtime's own unit tests (runtimes/python/tests: blob files, call plumbing, framing),
/// run with the sandbox's interpreter against the runtime copy the build ships.
/// </summary>
public sealed class PythonRuntimeUnitTests
{
    [Fact]
    public async Task PythonUnitTests_Pass()
    {
        var tests = Path.Combine(RepositoryRoot(), "runtimes", "python", "tests");
        var info = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { "-B", "-m", "unittest", "discover", "-s", tests, "-t", tests },
            Environment = { ["PYTHONPATH"] = Path.Combine(AppContext.BaseDirectory, "runtime") },
        };

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        var output = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, output);
        Assert.Matches(@"Ran [1-9]\d* tests", output);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Faasten.slnx")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("Not running inside the repository.");
    }
}

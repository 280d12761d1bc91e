using System.Diagnostics;

namespace Faasten.Sandbox.Images;

/// <summary>Runs a command-line tool to completion, capturing its combined output.</summary>
internal static class ExternalTool
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        using var process = Start(fileName, arguments);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false));
    }

    /// <summary>
    /// Runs a tool, handing each line of its standard output to <paramref name="onLine"/> as it
    /// comes, so output of any length costs no memory; a line the consumer throws on kills the
    /// tool and the exception propagates. Returns the exit code and the standard error.
    /// </summary>
    public static async Task<(int ExitCode, string Error)> RunLinesAsync(string fileName, IEnumerable<string> arguments, Action<string> onLine, CancellationToken cancellationToken)
    {
        using var process = Start(fileName, arguments);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                onLine(line);
            }
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await stderr.ConfigureAwait(false));
    }

    private static Process Start(string fileName, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
    }
}

using System.Diagnostics;
using System.Text;

namespace Faasten.Tests.Common.Tutorial;

/// <summary>
/// Runs a bash script in its own session, so that it and everything it started in the
/// background (the tutorial's <c>faasten serve &amp;</c>) can be ended together.
/// </summary>
public static class ShellRun
{
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string script, string workingDirectory, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add("bash");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var cancel = new CancellationTokenSource(timeout);
            await process.WaitForExitAsync(cancel.Token);
            process.WaitForExit(); // drains the asynchronous readers
        }
        catch (OperationCanceledException)
        {
            Append(output, $"[test: timed out after {timeout}]");
            return (-1, output.ToString());
        }
        finally
        {
            // setsid exec'd bash (a child is never a group leader), so its pid is the group id.
            KillGroup(process.Id);
        }
        return (process.ExitCode, output.ToString());
    }

    public static void KillGroup(int processGroup)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-KILL", "--", "-" + processGroup }, RedirectStandardError = true });
        kill?.WaitForExit();
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (output)
        {
            output.AppendLine(line);
        }
    }
}

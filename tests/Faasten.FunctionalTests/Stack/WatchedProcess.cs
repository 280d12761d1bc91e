using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Faasten.FunctionalTests.Stack;

/// <summary>
/// A long-running child (a server, a script that starts one) with its output captured, ready
/// once a line matches; disposing kills it with everything it started.
/// </summary>
internal sealed class WatchedProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Regex _readyLine;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Match> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WatchedProcess(ProcessStartInfo start, Regex readyLine)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        _process = new Process { StartInfo = start };
        _readyLine = readyLine;
    }

    /// <summary>Everything printed so far, stdout and stderr interleaved by line.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="start"/> and waits (up to <paramref name="within"/>, a minute unless given) for a line matching <paramref name="readyLine"/>.</summary>
    public static async Task<(WatchedProcess Process, Match Ready)> StartAsync(ProcessStartInfo start, Regex readyLine, string what, TimeSpan? within = null)
    {
        var watched = new WatchedProcess(start, readyLine);
        watched._process.OutputDataReceived += (_, e) => watched.Append(e.Data);
        watched._process.ErrorDataReceived += (_, e) => watched.Append(e.Data);
        watched._process.Start();
        watched._process.BeginOutputReadLine();
        watched._process.BeginErrorReadLine();
        var first = await Task.WhenAny(watched._ready.Task, watched._process.WaitForExitAsync(), Task.Delay(within ?? TimeSpan.FromMinutes(1)));
        if (first != watched._ready.Task)
        {
            var output = watched.Output;
            await watched.DisposeAsync();
            Assert.Fail($"{what} did not come up:\n{output}");
        }
        return (watched, await watched._ready.Task);
    }

    /// <summary>Sends <paramref name="signal"/> (e.g. "TERM", "INT") and waits for the exit code.</summary>
    public async Task<int> SignalAsync(string signal, TimeSpan within)
    {
        using (var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }
        using var timeout = new CancellationTokenSource(within);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
        if (_readyLine.Match(line) is { Success: true } match)
        {
            _ready.TrySetResult(match);
        }
    }
}

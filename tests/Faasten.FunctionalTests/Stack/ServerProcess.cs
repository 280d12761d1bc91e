using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Faasten.FunctionalTests.Stack;

/// <summary>A real <c>faasten serve</c> process on 127.0.0.1:0; its address is read from its first line.</summary>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(Process process) => _process = process;

    public Uri Address { get; private set; } = null!;

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

    public static async Task<ServerProcess> StartAsync(string dataDirectory)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Repository.Binary("faasten"), "serve", "--data", dataDirectory, "--listen", "127.0.0.1:0" })
        {
            start.ArgumentList.Add(argument);
        }

        var server = new ServerProcess(new Process { StartInfo = start });
        server._process.OutputDataReceived += (_, e) => server.Append(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        server._process.Start();
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        var ready = await Task.WhenAny(server._address.Task, server._process.WaitForExitAsync(), Task.Delay(TimeSpan.FromMinutes(1)));
        Assert.True(ready == server._address.Task, $"faasten serve did not come up:\n{server.Output}");
        server.Address = await server._address.Task;
        return server;
    }

    /// <summary>Sends SIGTERM, as a service manager would, and waits for the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan within)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
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

        if (ListeningLine().Match(line) is { Success: true } match)
        {
            _address.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    [GeneratedRegex(@"^faasten listening on (http://\S+) ")]
    private static partial Regex ListeningLine();
}

using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Faasten.Tests.Common.Engines;

/// <summary>
/// A server process the tests start on 127.0.0.1 (nats-server, the S3 server) over a private
/// directory. A detached watchdog kills it and removes the directory when the test process is
/// gone however it ends, so nothing outlives a run; disposing does the same at once.
/// </summary>
public sealed class LoopbackService : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private LoopbackService(Process process, int port, string directory)
    {
        _process = process;
        Port = port;
        Directory = directory;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Port { get; }

    /// <summary>The service's private directory (its data lives under it).</summary>
    public string Directory { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>What the service printed so far (for failure messages).</summary>
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

    /// <summary>
    /// Starts <paramref name="fileName"/> with the arguments <paramref name="arguments"/> makes of a
    /// free port and the directory, and waits until the port accepts connections. A port taken
    /// between picking and binding is retried with another.
    /// </summary>
    public static async Task<LoopbackService> StartAsync(string name, string fileName, Func<int, string, IEnumerable<string>> arguments, string? directory = null, int? port = null)
    {
        directory ??= Path.Combine(Path.GetTempPath(), $"faasten-test-{name}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(directory);
        for (var attempt = 1; ; attempt++)
        {
            var chosen = port ?? LoopbackPort.Free();
            var info = new ProcessStartInfo(fileName)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in arguments(chosen, directory))
            {
                info.ArgumentList.Add(argument);
            }

            var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
            var service = new LoopbackService(process, chosen, directory);
            await StartWatchdogAsync(process.Id, directory, removeDirectory: port is null);
            if (await service.WaitForPortAsync(TimeSpan.FromSeconds(30)))
            {
                return service;
            }

            var output = service.Output;
            await service.KillAsync();
            if (attempt >= 3 || port is not null)
            {
                throw new InvalidOperationException($"{name} did not listen on 127.0.0.1:{chosen}:\n{output}");
            }
        }
    }

    /// <summary>SIGKILL, as a crash or a power cut would; the directory stays (a restart may reuse it).</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as a service manager stops it, and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private async Task<bool> WaitForPortAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(20);
            }
        }

        return false;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 64 * 1024)
            {
                _output.AppendLine(line);
            }
        }
    }

    /// <summary>
    /// Waits for this test process or the service to end, then kills the service; removes the
    /// directory only when the test process is gone (a test restarting the service reuses it).
    /// </summary>
    private static async Task StartWatchdogAsync(int pid, string directory, bool removeDirectory)
    {
        var script = Path.Combine(Path.GetTempPath(), $"faasten-watchdog-{Guid.NewGuid():N}.sh");
        var remove = removeDirectory ? $"kill -0 {Environment.ProcessId} 2>/dev/null || rm -rf '{directory}'" : "";
        await File.WriteAllTextAsync(
            script,
            $"""
            while kill -0 {Environment.ProcessId} 2>/dev/null && kill -0 {pid} 2>/dev/null; do sleep 0.5; done
            kill -9 {pid} 2>/dev/null
            {remove}
            rm -f '{script}'

            """);
        using var shell = Process.Start(new ProcessStartInfo("sh", ["-c", $"setsid sh '{script}' </dev/null >/dev/null 2>&1 &"]) { UseShellExecute = false })!;
        await shell.WaitForExitAsync();
    }
}

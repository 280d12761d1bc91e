using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Faasten.FunctionalTests.Tutorial;

/// <summary>A real <c>faasten serve</c> on a free loopback port, in its own session so it is ended whole.</summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private ServeProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static async Task<ServeProcess> StartAsync(string repositoryRoot, string dataDirectory, TimeSpan readyWithin)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = repositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                "dotnet", Path.Combine(repositoryRoot, "src", "Faasten.Host", "bin", "Release", "net10.0", "faasten.dll"),
                "serve", "--data", dataDirectory, "--listen", $"127.0.0.1:{port}",
            },
        };
        var server = new ServeProcess(new Process { StartInfo = start }, new Uri($"http://127.0.0.1:{port}/"));
        server._process.OutputDataReceived += (_, e) => server.Append(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        server._process.Start();
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = server.Address };
        var deadline = DateTime.UtcNow + readyWithin;
        while (true)
        {
            try
            {
                using var response = await http.GetAsync("auth/me");
                if (response.IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !server._process.HasExited)
            {
            }
            if (DateTime.UtcNow >= deadline || server._process.HasExited)
            {
                var log = server.Log;
                await server.DisposeAsync();
                throw new InvalidOperationException($"faasten serve did not become ready:\n{log}");
            }
            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            ShellRun.KillGroup(_process.Id);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }
}

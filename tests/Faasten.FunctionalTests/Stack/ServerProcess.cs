using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Faasten.FunctionalTests.Stack;

/// <summary>A real <c>faasten serve</c> process on 127.0.0.1:0; its address is read from its first line.</summary>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly WatchedProcess _process;

    private ServerProcess(WatchedProcess process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public string Output => _process.Output;

    /// <param name="config">A <c>--config</c> file; its keys apply under the --data and --listen flags.</param>
    public static async Task<ServerProcess> StartAsync(string dataDirectory, string? config = null)
    {
        var start = new ProcessStartInfo("dotnet");
        foreach (var argument in new[] { Repository.Binary("faasten"), "serve", "--data", dataDirectory, "--listen", "127.0.0.1:0" })
        {
            start.ArgumentList.Add(argument);
        }

        if (config is not null)
        {
            start.ArgumentList.Add("--config");
            start.ArgumentList.Add(config);
        }
        var (process, listening) = await WatchedProcess.StartAsync(start, ListeningLine(), "faasten serve");
        return new ServerProcess(process, new Uri(listening.Groups[1].Value));
    }

    /// <summary>Sends SIGTERM, as a service manager would, and waits for the exit code.</summary>
    public Task<int> TerminateAsync(TimeSpan within) => _process.SignalAsync("TERM", within);

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    [GeneratedRegex(@"^faasten listening on (https?://\S+) ")]
    private static partial Regex ListeningLine();
}

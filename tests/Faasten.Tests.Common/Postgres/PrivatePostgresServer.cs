namespace Faasten.Tests.Common.Postgres;

/// <summary>
/// A PostgreSQL server of one test's own, which the test may stop and start again on the same
/// port and data (an outage of the database, as a cluster sees it). Removed on dispose, or by
/// its watchdog when the test process is gone.
/// </summary>
public sealed class PrivatePostgresServer : IAsyncDisposable
{
    private readonly PostgresTools _tools;
    private readonly string _directory;
    private readonly int _port;

    private PrivatePostgresServer(PostgresTools tools, string directory, int port)
    {
        _tools = tools;
        _directory = directory;
        _port = port;
    }

    public string ConnectionString => $"Host=127.0.0.1;Port={_port};Username=postgres;Database=postgres";

    private string Data => Path.Combine(_directory, "data");

    public static async Task<PrivatePostgresServer> StartAsync()
    {
        var tools = new PostgresTools(LocalPostgresServer.FindBinDirectory(), AsPostgresUser: Environment.UserName == "root");
        var directory = Path.Combine(Path.GetTempPath(), $"faasten-test-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        if (tools.AsPostgresUser)
        {
            await ProcessRunner.RunAsync("chown", ["postgres", directory], TimeSpan.FromSeconds(30));
        }

        await LocalPostgresServer.StartWatchdogAsync(tools, directory);
        await tools.RunAsync("initdb", ["-D", Path.Combine(directory, "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], TimeSpan.FromMinutes(2));
        for (var attempt = 1; ; attempt++)
        {
            var server = new PrivatePostgresServer(tools, directory, LoopbackPort.Free());
            try
            {
                await server.StartAgainAsync();
                return server;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
            }
        }
    }

    /// <summary>An immediate stop: connections drop at once, as when the database host goes away.</summary>
    public Task StopAsync() => _tools.RunAsync("pg_ctl", ["-D", Data, "-m", "immediate", "-w", "stop"], TimeSpan.FromMinutes(1));

    /// <summary>Starts the server again on the same port and data.</summary>
    public Task StartAgainAsync() => _tools.RunAsync(
        "pg_ctl",
        [
            "-D", Data, "-l", Path.Combine(_directory, "server.log"), "-w", "-t", "60",
            "-o", $"-c listen_addresses=127.0.0.1 -c port={_port} -c unix_socket_directories={_directory} -c fsync=off -c max_connections=200",
            "start",
        ],
        TimeSpan.FromMinutes(2));

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

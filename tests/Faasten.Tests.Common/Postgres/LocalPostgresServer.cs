namespace Faasten.Tests.Common.Postgres;

/// <summary>
/// A throwaway PostgreSQL cluster: initdb into a temp directory, trust auth, loopback on a
/// free port. Used when the test command did not already start one, so tests never skip;
/// a watchdog removes it when the test process is gone.
/// </summary>
internal static class LocalPostgresServer
{
    /// <summary>Starts a server and returns a connection string for its maintenance database.</summary>
    public static async Task<string> StartAsync()
    {
        var tools = new PostgresTools(FindBinDirectory(), AsPostgresUser: Environment.UserName == "root");
        var directory = Path.Combine(Path.GetTempPath(), $"faasten-test-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);

        // initdb refuses to run as root, so the cluster belongs to the postgres user.
        if (tools.AsPostgresUser)
        {
            await ProcessRunner.RunAsync("chown", ["postgres", directory], TimeSpan.FromSeconds(30));
        }

        await StartWatchdogAsync(tools, directory);
        var data = Path.Combine(directory, "data");
        await tools.RunAsync("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], TimeSpan.FromMinutes(2));

        // A port picked free can be taken before the server binds it; try a few.
        for (var attempt = 1; ; attempt++)
        {
            var port = LoopbackPort.Free();
            try
            {
                await tools.RunAsync(
                    "pg_ctl",
                    [
                        "-D", data, "-l", Path.Combine(directory, "server.log"), "-w", "-t", "60",
                        "-o", $"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={directory} -c fsync=off -c max_connections=200",
                        "start",
                    ],
                    TimeSpan.FromMinutes(2));
                return $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres";
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
            }
        }
    }

    /// <summary>
    /// Starts a detached script that waits for this process to exit, however it exits (the
    /// test host is killed by its runner right after the last test), then stops the server
    /// and deletes its directory. setsid plus the backgrounded shell orphan the script, so
    /// a process-tree kill of the test host does not reach it.
    /// </summary>
    internal static async Task StartWatchdogAsync(PostgresTools tools, string directory)
    {
        var pgCtl = Path.Combine(tools.BinDirectory, "pg_ctl");
        var stop = tools.AsPostgresUser ? $"runuser -u postgres -- '{pgCtl}'" : $"'{pgCtl}'";
        var data = Path.Combine(directory, "data");
        var script = directory + ".watchdog.sh";
        await File.WriteAllTextAsync(
            script,
            $"""
            while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 0.5; done
            [ -f '{data}/postmaster.pid' ] && {stop} -D '{data}' -m immediate -w stop
            rm -rf '{directory}' '{script}'

            """);
        await ProcessRunner.RunAsync("sh", ["-c", $"setsid sh '{script}' </dev/null >/dev/null 2>&1 &"], TimeSpan.FromSeconds(30));
    }

    internal static string FindBinDirectory()
    {
        const string root = "/usr/lib/postgresql";
        var candidates = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(d => (Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1, Bin: Path.Combine(d, "bin")))
                .Where(c => File.Exists(Path.Combine(c.Bin, "initdb")))
                .OrderByDescending(c => c.Version)
                .ToList()
            : [];
        return candidates.Count > 0
            ? candidates[0].Bin
            : throw new InvalidOperationException(
                "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb) and FAASTEN_TEST_POSTGRES is not set; run scripts/setup.sh.");
    }

}

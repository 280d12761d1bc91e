namespace Faasten.Tests.Common.Postgres;

/// <summary>The server's programs, run as the postgres user when this process is root.</summary>
internal sealed record PostgresTools(string BinDirectory, bool AsPostgresUser)
{
    public Task<string> RunAsync(string tool, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var program = Path.Combine(BinDirectory, tool);
        return AsPostgresUser
            ? ProcessRunner.RunAsync("runuser", ["-u", "postgres", "--", program, .. arguments], timeout)
            : ProcessRunner.RunAsync(program, arguments, timeout);
    }
}

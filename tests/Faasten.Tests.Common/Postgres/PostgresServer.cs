namespace Faasten.Tests.Common.Postgres;

/// <summary>
/// The PostgreSQL server of this test run: the one named by FAASTEN_TEST_POSTGRES (the test
/// script starts it), or else one this process starts once and that is removed after it exits.
/// </summary>
public static class PostgresServer
{
    public const string EnvironmentVariable = "FAASTEN_TEST_POSTGRES";

    private static readonly Lazy<Task<string>> ConnectionString = new(StartAsync);

    /// <summary>A connection string for the maintenance database of the server.</summary>
    public static Task<string> GetConnectionStringAsync() => ConnectionString.Value;

    private static async Task<string> StartAsync()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        return await LocalPostgresServer.StartAsync();
    }
}

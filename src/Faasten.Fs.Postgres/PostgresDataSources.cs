using Npgsql;

namespace Faasten.Fs.Postgres;

/// <summary>How every store here opens its pool.</summary>
internal static class PostgresDataSources
{
    /// <param name="maxAutoPrepare">Statements kept prepared per connection unless the connection string says otherwise: every statement here repeats constantly.</param>
    public static NpgsqlDataSource Create(string connectionString, int maxAutoPrepare)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var settings = builder.ConnectionStringBuilder;
        if (settings.MaxAutoPrepare == 0)
        {
            settings.MaxAutoPrepare = maxAutoPrepare;
        }

        // No statement here leaves session state behind (locks are transaction-scoped, nothing is
        // SET, LISTENed or made temporary), so the seven-statement reset Npgsql otherwise sends
        // with the first command after each pooled open is pure cost: it was about half of each
        // server backend's CPU per cluster invocation.
        settings.NoResetOnClose = true;

        return builder.Build();
    }
}

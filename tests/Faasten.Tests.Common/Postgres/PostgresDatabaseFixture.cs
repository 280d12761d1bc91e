using Npgsql;

namespace Faasten.Tests.Common.Postgres;

/// <summary>A database of its own for one test class, dropped afterwards.</summary>
public sealed class PostgresDatabaseFixture : IAsyncLifetime
{
    private string? _serverConnectionString;

    public string DatabaseName { get; } = $"faasten_test_{Guid.NewGuid():N}";

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _serverConnectionString = await PostgresServer.GetConnectionStringAsync();
        await using (var connection = new NpgsqlConnection(_serverConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {DatabaseName}", connection);
            await command.ExecuteNonQueryAsync();
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(_serverConnectionString) { Database = DatabaseName }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        if (_serverConnectionString is null)
        {
            return;
        }

        await using var connection = new NpgsqlConnection(_serverConnectionString);
        await connection.OpenAsync();

        // FORCE ends connections still pooled by stores under test.
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {DatabaseName} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}

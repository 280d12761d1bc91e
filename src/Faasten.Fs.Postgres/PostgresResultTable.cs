using System.Text.RegularExpressions;
using Npgsql;

namespace Faasten.Fs.Postgres;

/// <summary>
/// Async invocation results shared by a cluster: one row per invocation id, pending (no reply)
/// until its worker records the reply, gone after its expiry. Replies are opaque bytes here (the
/// hosting layer stores the protobuf reply with its label), so this project stays below the
/// invocation protocol. Portable SQL: INSERT … ON CONFLICT, no extensions.
/// </summary>
public sealed partial class PostgresResultTable : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _table;

    private PostgresResultTable(NpgsqlDataSource dataSource, string table)
    {
        _dataSource = dataSource;
        _table = table;
    }

    /// <summary>Connects and creates the table when missing; safe when many processes start at once.</summary>
    /// <param name="table">Lower-case letters, digits and underscores (it is spliced into SQL).</param>
    public static async Task<PostgresResultTable> OpenAsync(string connectionString, string table = "faasten_results", CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        if (!Identifier().IsMatch(table))
        {
            throw new ArgumentException($"table '{table}' must match {Identifier()}", nameof(table));
        }

        var dataSource = PostgresDataSources.Create(connectionString, maxAutoPrepare: 16);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await PostgresDdl.RunAsync(
                connection,
                quotedSchema: null,
                [
                    $"CREATE TABLE IF NOT EXISTS {table} (id text COLLATE \"C\" NOT NULL PRIMARY KEY, reply bytea NULL, expires_at timestamptz NOT NULL)",
                    $"CREATE INDEX IF NOT EXISTS {table}_expires ON {table} (expires_at)",
                ],
                cancellationToken).ConfigureAwait(false);
            return new PostgresResultTable(dataSource, table);
        }
        catch
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A new pending row; false when the id exists (pending or done, unexpired).</summary>
    public async ValueTask<bool> TryAddPendingAsync(string id, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        // An expired row of the same id no longer counts: replace it.
        await using var command = _dataSource.CreateCommand(
            $"INSERT INTO {_table} (id, reply, expires_at) VALUES ($1, NULL, $2) ON CONFLICT (id) DO UPDATE SET reply = NULL, expires_at = EXCLUDED.expires_at WHERE {_table}.expires_at <= $3");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = expiresAt.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = now.UtcDateTime });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Records the reply once: false when one is already recorded (the first reply stays).</summary>
    public async ValueTask<bool> CompleteAsync(string id, ReadOnlyMemory<byte> reply, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(
            $"INSERT INTO {_table} (id, reply, expires_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET reply = EXCLUDED.reply, expires_at = EXCLUDED.expires_at WHERE {_table}.reply IS NULL");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>> { TypedValue = reply });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = expiresAt.UtcDateTime });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>The row unless expired: (true, null) pending, (true, bytes) done, (false, null) unknown.</summary>
    public async ValueTask<(bool Found, byte[]? Reply)> GetAsync(string id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand($"SELECT reply FROM {_table} WHERE id = $1 AND expires_at > $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = now.UtcDateTime });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return (false, null);
        }

        return (true, await reader.IsDBNullAsync(0, cancellationToken).ConfigureAwait(false) ? null : reader.GetFieldValue<byte[]>(0));
    }

    public async ValueTask<bool> IsCompleteAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand($"SELECT 1 FROM {_table} WHERE id = $1 AND reply IS NOT NULL");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <summary>Removes a pending row (never a recorded reply).</summary>
    public async ValueTask RemovePendingAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand($"DELETE FROM {_table} WHERE id = $1 AND reply IS NULL");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes expired rows; returns how many.</summary>
    public async ValueTask<int> SweepAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand($"DELETE FROM {_table} WHERE expires_at <= $1");
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = now.UtcDateTime });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>True when the database answers (for readiness).</summary>
    public async ValueTask<bool> IsReachableAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = _dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex Identifier();
}

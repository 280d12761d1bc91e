using Microsoft.Data.Sqlite;

namespace Faasten.Fs.Storage;

/// <summary>
/// One SQLite connection with its statements prepared once and reused; SQLite re-parses a
/// statement on every execution otherwise. Used by one caller at a time.
/// </summary>
internal sealed class SqliteSession : IDisposable
{
    public const int ScanPageSize = 256;

    private const string GetSql = "SELECT value, version FROM metadata WHERE key = $key;";
    private const string PutSql =
        "INSERT INTO metadata (key, value, version) VALUES ($key, $value, 1) " +
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value, version = metadata.version + 1 RETURNING version;";
    private const string InsertSql = "INSERT INTO metadata (key, value, version) VALUES ($key, $value, 1) ON CONFLICT (key) DO NOTHING;";
    private const string CasSql = "UPDATE metadata SET value = $value, version = version + 1 WHERE key = $key AND version = $version;";
    private const string DeleteSql = "DELETE FROM metadata WHERE key = $key;";
    private const string DeleteVersionSql = "DELETE FROM metadata WHERE key = $key AND version = $version;";

    // Indexed by [inclusive ? 1 : 0, bounded ? 1 : 0].
    private static readonly string[,] ScanSql = BuildScanSql();

    private readonly SqliteConnection _connection;
    // Keyed by reference: every statement is a constant string.
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    private SqliteSession(SqliteConnection connection) => _connection = connection;

    public static SqliteSession Open(string connectionString, bool writer)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            var session = new SqliteSession(connection);

            // Waits for a lock held by another connection (another store or process) instead of failing at once.
            session.Execute("PRAGMA busy_timeout = 30000;");
            if (writer)
            {
                // WAL lets readers run beside the writer; FULL syncs the log on every commit.
                var mode = session.Scalar("PRAGMA journal_mode = WAL;");
                if (!string.Equals(mode as string, "wal", StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidOperationException($"SQLite refused WAL journal mode (got '{mode}').");
                }

                session.Execute("PRAGMA synchronous = FULL;");
                session.Execute(
                    "CREATE TABLE IF NOT EXISTS metadata (key TEXT NOT NULL PRIMARY KEY, value BLOB NOT NULL, version INTEGER NOT NULL) WITHOUT ROWID;");
            }

            return session;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public VersionedValue? Get(string key)
    {
        var command = Prepare(GetSql, "$key");
        command.Parameters[0].Value = key;
        using var reader = command.ExecuteReader();
        return reader.Read() ? new VersionedValue(ReadValue(reader, 0), reader.GetInt64(1)) : null;
    }

    /// <summary>Up to <see cref="ScanPageSize"/> rows from <paramref name="from"/> (inclusive or not) below <paramref name="to"/>.</summary>
    public List<KeyValuePair<string, VersionedValue>> ScanPage(string from, bool inclusive, string? to)
    {
        var sql = ScanSql[inclusive ? 1 : 0, to is null ? 0 : 1];
        var command = to is null ? Prepare(sql, "$from") : Prepare(sql, "$from", "$to");
        command.Parameters[0].Value = from;
        if (to is not null)
        {
            command.Parameters[1].Value = to;
        }

        var page = new List<KeyValuePair<string, VersionedValue>>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            page.Add(new(reader.GetString(0), new VersionedValue(ReadValue(reader, 1), reader.GetInt64(2))));
        }

        return page;
    }

    public long Put(string key, byte[] value)
    {
        var command = Prepare(PutSql, "$key", "$value");
        return (long)RunWithValue(command, key, value, scalar: true);
    }

    public bool InsertIfAbsent(string key, byte[] value)
    {
        var command = Prepare(InsertSql, "$key", "$value");
        return (int)RunWithValue(command, key, value, scalar: false) == 1;
    }

    public bool CompareAndSwap(string key, long expectedVersion, byte[] value)
    {
        var command = Prepare(CasSql, "$key", "$value", "$version");
        command.Parameters[2].Value = expectedVersion;
        return (int)RunWithValue(command, key, value, scalar: false) == 1;
    }

    public bool Delete(string key, long? expectedVersion)
    {
        SqliteCommand command;
        if (expectedVersion is { } version)
        {
            command = Prepare(DeleteVersionSql, "$key", "$version");
            command.Parameters[1].Value = version;
        }
        else
        {
            command = Prepare(DeleteSql, "$key");
        }

        command.Parameters[0].Value = key;
        return command.ExecuteNonQuery() == 1;
    }

    public void Execute(string sql) => Prepare(sql).ExecuteNonQuery();

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _connection.Dispose();
    }

    private object? Scalar(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static object RunWithValue(SqliteCommand command, string key, byte[] value, bool scalar)
    {
        command.Parameters[0].Value = key;
        command.Parameters[1].Value = value;
        try
        {
            return scalar ? command.ExecuteScalar()! : command.ExecuteNonQuery();
        }
        finally
        {
            // A pooled session must not keep the last (possibly large) value alive.
            command.Parameters[1].Value = DBNull.Value;
        }
    }

    private static string[,] BuildScanSql()
    {
        var sql = new string[2, 2];
        for (var inclusive = 0; inclusive < 2; inclusive++)
        {
            var lower = inclusive == 1 ? "key >= $from" : "key > $from";
            sql[inclusive, 0] = $"SELECT key, value, version FROM metadata WHERE {lower} ORDER BY key LIMIT {ScanPageSize};";
            sql[inclusive, 1] = $"SELECT key, value, version FROM metadata WHERE {lower} AND key < $to ORDER BY key LIMIT {ScanPageSize};";
        }

        return sql;
    }

    private static byte[] ReadValue(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? [] : reader.GetFieldValue<byte[]>(ordinal);

    private SqliteCommand Prepare(string sql, params ReadOnlySpan<string> parameterNames)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            foreach (var name in parameterNames)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            command.Prepare();
            _commands.Add(sql, command);
        }

        return command;
    }
}

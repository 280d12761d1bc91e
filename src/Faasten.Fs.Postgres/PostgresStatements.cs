namespace Faasten.Fs.Postgres;

/// <summary>
/// The SQL for one table, built once. Keys are text in the "C" collation, so comparisons and
/// ORDER BY follow UTF-8 bytes (code point order), the same order as the SQLite store.
/// </summary>
internal sealed class PostgresStatements
{
    public const int ScanPageSize = 256;

    public PostgresStatements(string schema, string table)
    {
        QuotedSchema = $"\"{schema}\"";
        QualifiedName = $"{QuotedSchema}.\"{table}\"";
        var t = QualifiedName;
        CreateSchema = $"CREATE SCHEMA IF NOT EXISTS {QuotedSchema}";
        CreateTable = $"CREATE TABLE IF NOT EXISTS {t} (key text COLLATE \"C\" NOT NULL PRIMARY KEY, value bytea NOT NULL, version bigint NOT NULL)";
        Get = $"SELECT value, version FROM {t} WHERE key = $1";
        GetMany = $"SELECT key, value, version FROM {t} WHERE key = ANY($1)";
        Put = $"INSERT INTO {t} AS m (key, value, version) VALUES ($1, $2, 1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, version = m.version + 1 RETURNING version";
        InsertIfAbsent = $"INSERT INTO {t} (key, value, version) VALUES ($1, $2, 1) ON CONFLICT (key) DO NOTHING";
        CompareAndSwap = $"UPDATE {t} SET value = $3, version = version + 1 WHERE key = $1 AND version = $2";
        Delete = $"DELETE FROM {t} WHERE key = $1";
        DeleteVersion = $"DELETE FROM {t} WHERE key = $1 AND version = $2";
        Scan = new string[2, 2];
        for (var inclusive = 0; inclusive < 2; inclusive++)
        {
            var lower = inclusive == 1 ? "key >= $1" : "key > $1";
            Scan[inclusive, 0] = $"SELECT key, value, version FROM {t} WHERE {lower} ORDER BY key LIMIT {ScanPageSize}";
            Scan[inclusive, 1] = $"SELECT key, value, version FROM {t} WHERE {lower} AND key < $2 ORDER BY key LIMIT {ScanPageSize}";
        }
    }

    public string QuotedSchema { get; }

    public string QualifiedName { get; }

    public string CreateSchema { get; }

    public string CreateTable { get; }

    public string Get { get; }

    public string GetMany { get; }

    public string Put { get; }

    public string InsertIfAbsent { get; }

    public string CompareAndSwap { get; }

    public string Delete { get; }

    public string DeleteVersion { get; }

    /// <summary>Indexed by [inclusive lower bound ? 1 : 0, upper bound ? 1 : 0].</summary>
    public string[,] Scan { get; }
}

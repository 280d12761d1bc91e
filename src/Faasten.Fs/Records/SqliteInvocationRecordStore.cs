using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Faasten.Fs.Records;

/// <summary>
/// The embedded records table, in the embedded metadata store's SQLite file. Its writes use
/// synchronous=NORMAL (durable at the next checkpoint, not at every commit): a record is
/// observability, and an fsync per invocation would cost more than the invocation.
/// </summary>
public sealed class SqliteInvocationRecordStore : SqlInvocationRecordStore
{
    private readonly string _connectionString;

    // Only the records' background writer writes, one batch at a time: one connection for all
    // of them, its pragmas applied once.
    private readonly SemaphoreSlim _writerLock = new(1, 1);
    private DbConnection? _writer;

    private SqliteInvocationRecordStore(string connectionString)
        : base("invocation_records")
    {
        _connectionString = connectionString;
    }

    /// <summary>Opens the database file at <paramref name="path"/> (created if needed) and creates the table when missing.</summary>
    public static async Task<SqliteInvocationRecordStore> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.GetFullPath(path),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString();
        var store = new SqliteInvocationRecordStore(connectionString);
        await using var connection = await store.OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var statement in store.SchemaStatements("TEXT", "INTEGER"))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = statement;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return store;
    }

    protected override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var pragma = connection.CreateCommand();
            // The metadata store's writer holds the same file's write lock at times: wait for it.
            pragma.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;";
            await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    protected override async ValueTask<DbConnection> OpenWriterAsync(CancellationToken cancellationToken)
    {
        await _writerLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _writer ??= await OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _writerLock.Release();
            throw;
        }
    }

    protected override ValueTask ReleaseWriterAsync(DbConnection connection)
    {
        _writerLock.Release();
        return ValueTask.CompletedTask;
    }

    public override async ValueTask DisposeAsync()
    {
        await _writerLock.WaitAsync().ConfigureAwait(false);
        if (_writer is not null)
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
            _writer = null;
        }

        _writerLock.Release();
        // Pooled connections keep the file open; the store is done with it.
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }
}

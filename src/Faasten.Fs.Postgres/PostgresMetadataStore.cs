using System.Runtime.CompilerServices;
using Faasten.Fs.Storage;
using Npgsql;

namespace Faasten.Fs.Postgres;

/// <summary>
/// The cluster metadata store: one PostgreSQL table. Each call takes a pooled connection
/// for one statement, so workers on many machines share it; compare-and-swap is a single
/// conditional UPDATE, which PostgreSQL re-checks against the latest row version when two
/// transactions race, so exactly one of them wins.
/// </summary>
public sealed class PostgresMetadataStore : IMetadataStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresStatements _sql;
    private int _disposed;

    private PostgresMetadataStore(NpgsqlDataSource dataSource, PostgresStatements sql)
    {
        _dataSource = dataSource;
        _sql = sql;
    }

    /// <summary>Connects and creates the schema and table when missing.</summary>
    public static async Task<PostgresMetadataStore> OpenAsync(PostgresMetadataStoreOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid PostgreSQL metadata store options: " + string.Join(" ", errors), nameof(options));
        }

        var dataSource = PostgresDataSources.Create(options.ConnectionString, maxAutoPrepare: 32);
        var sql = new PostgresStatements(options.Schema, options.Table);
        try
        {
            await EnsureTableAsync(dataSource, sql, cancellationToken);
            return new PostgresMetadataStore(dataSource, sql);
        }
        catch
        {
            await dataSource.DisposeAsync();
            throw;
        }
    }

    public async ValueTask<VersionedValue?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        MetadataKeys.Validate(key);
        await using var command = Command(_sql.Get);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new VersionedValue(reader.GetFieldValue<byte[]>(0), reader.GetInt64(1))
            : null;
    }

    public async ValueTask<IReadOnlyList<VersionedValue?>> GetManyAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var key in keys)
        {
            MetadataKeys.Validate(key);
        }

        var values = new VersionedValue?[keys.Count];
        if (values.Length == 0)
        {
            return values;
        }

        await using var command = Command(_sql.GetMany);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. keys] });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var key = reader.GetString(0);
            var value = new VersionedValue(reader.GetFieldValue<byte[]>(1), reader.GetInt64(2));
            for (var i = 0; i < values.Length; i++)
            {
                if (string.Equals(keys[i], key, StringComparison.Ordinal))
                {
                    values[i] = value;
                }
            }
        }

        return values;
    }

    public async ValueTask<long> PutAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        MetadataKeys.Validate(key);
        await using var command = Command(_sql.Put);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        command.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>> { TypedValue = value });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async ValueTask<bool> InsertIfAbsentAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        MetadataKeys.Validate(key);
        await using var command = Command(_sql.InsertIfAbsent);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        command.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>> { TypedValue = value });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async ValueTask<bool> CompareAndSwapAsync(string key, long expectedVersion, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        MetadataKeys.Validate(key);
        await using var command = Command(_sql.CompareAndSwap);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = expectedVersion });
        command.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>> { TypedValue = value });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async ValueTask<bool> DeleteAsync(string key, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        MetadataKeys.Validate(key);
        await using var command = Command(expectedVersion is null ? _sql.Delete : _sql.DeleteVersion);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        if (expectedVersion is { } version)
        {
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = version });
        }

        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// Reads in pages of <see cref="PostgresStatements.ScanPageSize"/> keys so no connection
    /// is held while the caller consumes results; each page is a snapshot, the scan is not.
    /// </summary>
    public async IAsyncEnumerable<KeyValuePair<string, VersionedValue>> ScanAsync(
        string prefix,
        string? startAfter = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        MetadataKeys.ValidateScan(prefix, startAfter);
        var upper = MetadataKeys.PrefixUpperBound(prefix);
        var from = startAfter ?? prefix;
        var inclusive = startAfter is null;
        while (true)
        {
            var page = await ScanPageAsync(from, inclusive, upper, cancellationToken);
            foreach (var entry in page)
            {
                yield return entry;
            }

            if (page.Count < PostgresStatements.ScanPageSize)
            {
                yield break;
            }

            from = page[^1].Key;
            inclusive = false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _dataSource.DisposeAsync();
        }
    }

    private async Task<List<KeyValuePair<string, VersionedValue>>> ScanPageAsync(string from, bool inclusive, string? upper, CancellationToken cancellationToken)
    {
        await using var command = Command(_sql.Scan[inclusive ? 1 : 0, upper is null ? 0 : 1]);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = from });
        if (upper is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = upper });
        }

        var page = new List<KeyValuePair<string, VersionedValue>>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            page.Add(new(reader.GetString(0), new VersionedValue(reader.GetFieldValue<byte[]>(1), reader.GetInt64(2))));
        }

        return page;
    }

    private NpgsqlCommand Command(string text)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        return _dataSource.CreateCommand(text);
    }

    private static async Task EnsureTableAsync(NpgsqlDataSource dataSource, PostgresStatements sql, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var exists = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection))
        {
            exists.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sql.QualifiedName });
            if ((bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            {
                return;
            }
        }

        await PostgresDdl.RunAsync(connection, sql.QuotedSchema, [sql.CreateTable], cancellationToken);
    }
}

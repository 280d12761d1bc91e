using System.Buffers;
using System.Data.Common;
using System.Text;
using System.Text.Json;
using Faasten.Labels;

namespace Faasten.Fs.Records;

/// <summary>
/// The records table in portable SQL, shared by the SQLite and PostgreSQL stores: one row per
/// invocation, indexed by queue time (newest first, and retention) and by gate. A subclass
/// supplies connections and its column types.
/// </summary>
public abstract class SqlInvocationRecordStore : IInvocationRecordStore
{
    private const string Columns = "id, gate, status, queued, started, finished, cold, vm, worker, label";

    private readonly string _insert;
    private readonly string _get;
    private readonly string _list;
    private readonly string _listAfter;
    private readonly string _listGate;
    private readonly string _listGateAfter;
    private readonly string _prune;

    /// <param name="table">A plain identifier (validated by the subclass), spliced into the SQL.</param>
    protected SqlInvocationRecordStore(string table)
    {
        Table = table;
        _insert = $"INSERT INTO {table} ({Columns}, trail, logs, truncated) VALUES (@id, @gate, @status, @queued, @started, @finished, @cold, @vm, @worker, @label, @trail, @logs, @truncated) ON CONFLICT (id) DO NOTHING";
        _get = $"SELECT {Columns}, trail, logs, truncated FROM {table} WHERE id = @id";
        const string order = " ORDER BY queued DESC, id DESC LIMIT @count";
        const string after = "(queued < @queued OR (queued = @queued AND id < @id))";
        _list = $"SELECT {Columns} FROM {table}" + order;
        _listAfter = $"SELECT {Columns} FROM {table} WHERE {after}" + order;
        _listGate = $"SELECT {Columns} FROM {table} WHERE gate = @gate" + order;
        _listGateAfter = $"SELECT {Columns} FROM {table} WHERE gate = @gate AND {after}" + order;
        _prune = $"DELETE FROM {table} WHERE queued < @queued";
    }

    protected string Table { get; }

    /// <summary>The statements that create the table and its indexes when missing, in SQL both engines accept given the column types.</summary>
    protected IEnumerable<string> SchemaStatements(string text, string integer)
    {
        yield return $"CREATE TABLE IF NOT EXISTS {Table} (id {text} NOT NULL PRIMARY KEY, gate {text} NOT NULL, status {text} NOT NULL, queued {integer} NOT NULL, started {integer}, finished {integer}, cold {integer} NOT NULL, vm {text}, worker {text} NOT NULL, label {text} NOT NULL, trail {text} NOT NULL, logs {text} NOT NULL, truncated {integer} NOT NULL)";
        yield return $"CREATE INDEX IF NOT EXISTS {Table}_queued ON {Table} (queued, id)";
        yield return $"CREATE INDEX IF NOT EXISTS {Table}_gate ON {Table} (gate, queued, id)";
    }

    /// <summary>An open connection, ready for statements (pragmas applied).</summary>
    protected abstract ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Stores the batch in one transaction, a statement per record; a subclass may do it in one statement.</summary>
    public virtual async ValueTask WriteAsync(IReadOnlyList<InvocationRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return;
        }

        var connection = await OpenWriterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = _insert;
            var parameters = InsertParameters.Select(name => Add(command, name, null)).ToArray();
            foreach (var record in records)
            {
                parameters[0].Value = record.Id;
                parameters[1].Value = record.Gate;
                parameters[2].Value = record.Status;
                parameters[3].Value = record.Queued.ToUnixTimeMilliseconds();
                parameters[4].Value = (object?)record.Started?.ToUnixTimeMilliseconds() ?? DBNull.Value;
                parameters[5].Value = (object?)record.Finished?.ToUnixTimeMilliseconds() ?? DBNull.Value;
                parameters[6].Value = record.Cold ? 1L : 0L;
                parameters[7].Value = (object?)record.Vm ?? DBNull.Value;
                parameters[8].Value = record.Worker;
                parameters[9].Value = record.Label.ToString();
                parameters[10].Value = TrailJson(record.Trail);
                parameters[11].Value = record.Logs;
                parameters[12].Value = record.LogsTruncated ? 1L : 0L;
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await ReleaseWriterAsync(connection).ConfigureAwait(false);
        }
    }

    private static readonly string[] InsertParameters = ["id", "gate", "status", "queued", "started", "finished", "cold", "vm", "worker", "label", "trail", "logs", "truncated"];

    /// <summary>The connection batches are written on; by default a new one per batch, closed by <see cref="ReleaseWriterAsync"/>.</summary>
    protected virtual ValueTask<DbConnection> OpenWriterAsync(CancellationToken cancellationToken) => OpenAsync(cancellationToken);

    protected virtual ValueTask ReleaseWriterAsync(DbConnection connection) => connection.DisposeAsync();

    public async ValueTask<InvocationRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = _get;
        Add(command, "id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return Read(reader) with
        {
            Trail = ParseTrail(reader.GetString(10)),
            Logs = reader.GetString(11),
            LogsTruncated = reader.GetInt64(12) != 0,
        };
    }

    public async ValueTask<IReadOnlyList<InvocationRecord>> ListAsync(string? gate, RecordCursor? after, int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = (gate, after) switch
        {
            (null, null) => _list,
            (null, _) => _listAfter,
            (_, null) => _listGate,
            _ => _listGateAfter,
        };
        if (gate is not null)
        {
            Add(command, "gate", gate);
        }

        if (after is { } cursor)
        {
            Add(command, "queued", cursor.QueuedMs);
            Add(command, "id", cursor.Id);
        }

        Add(command, "count", (long)count);
        var records = new List<InvocationRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            records.Add(Read(reader));
        }

        return records;
    }

    public async ValueTask<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = _prune;
        Add(command, "queued", before.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public abstract ValueTask DisposeAsync();

    private static InvocationRecord Read(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
        reader.IsDBNull(4) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
        reader.IsDBNull(5) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
        reader.GetInt64(6) != 0,
        reader.IsDBNull(7) ? null : reader.GetString(7),
        reader.GetString(8),
        // A label that does not parse (a damaged row) is read as the most secret: nobody is shown it.
        Label.TryParse(reader.GetString(9), out var label, out _) ? label : Label.Top);

    private static DbParameter Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    protected internal static string TrailJson(IReadOnlyList<TrailStep> trail)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var step in trail)
            {
                json.WriteStartObject();
                json.WriteString("what", step.What);
                json.WriteString("label", step.Label.ToString());
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    internal static IReadOnlyList<TrailStep> ParseTrail(string text)
    {
        using var document = JsonDocument.Parse(text);
        var steps = new List<TrailStep>();
        foreach (var step in document.RootElement.EnumerateArray())
        {
            var label = Label.TryParse(step.GetProperty("label").GetString() ?? "", out var parsed, out _) ? parsed : Label.Top;
            steps.Add(new TrailStep(step.GetProperty("what").GetString() ?? "", label));
        }

        return steps;
    }
}

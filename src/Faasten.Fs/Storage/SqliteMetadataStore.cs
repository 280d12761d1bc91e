using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Faasten.Fs.Storage;

/// <summary>
/// The embedded metadata store: one SQLite table in WAL mode with synchronous=FULL, so a
/// write is on disk when its task completes and a killed process reopens cleanly.
/// Reads run in parallel on a small pool of connections. SQLite admits one writer, so all
/// writes go through one queue drained by one connection; whatever queued up while a
/// commit was syncing is applied in the next transaction (group commit), paying one fsync
/// for many writers instead of one each.
/// </summary>
public sealed class SqliteMetadataStore : IMetadataStore
{
    private const int MaxBatch = 128;

    private readonly string _connectionString;
    private readonly SqliteSession _writer;
    private readonly Channel<SqliteWrite> _writes = Channel.CreateUnbounded<SqliteWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentBag<SqliteSession> _idleReaders = [];
    private readonly int _maxIdleReaders = Math.Max(4, Environment.ProcessorCount * 2);
    private readonly Task _writerLoop;
    private int _disposed;

    private SqliteMetadataStore(string connectionString, SqliteSession writer)
    {
        _connectionString = connectionString;
        _writer = writer;
        _writerLoop = Task.Run(RunWriterAsync);
    }

    /// <summary>Opens (creating if needed) the database file at <paramref name="path"/>.</summary>
    public static SqliteMetadataStore Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.GetFullPath(path),
            Mode = SqliteOpenMode.ReadWriteCreate,

            // This store pools its own sessions so prepared statements survive between calls.
            Pooling = false,
        }.ToString();
        return new SqliteMetadataStore(connectionString, SqliteSession.Open(connectionString, writer: true));
    }

    public ValueTask<VersionedValue?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        MetadataKeys.Validate(key);
        return Read(reader => reader.Get(key), cancellationToken);
    }

    public ValueTask<IReadOnlyList<VersionedValue?>> GetManyAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var key in keys)
        {
            MetadataKeys.Validate(key);
        }

        return Read<IReadOnlyList<VersionedValue?>>(reader =>
        {
            var values = new VersionedValue?[keys.Count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = reader.Get(keys[i]);
            }

            return values;
        }, cancellationToken);
    }

    /// <summary>Runs <paramref name="read"/> on a pooled read session, synchronously, as every read here does.</summary>
    private ValueTask<T> Read<T>(Func<SqliteSession, T> read, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<T>(cancellationToken);
        }

        try
        {
            var reader = RentReader();
            try
            {
                return new(read(reader));
            }
            finally
            {
                ReturnReader(reader);
            }
        }
        catch (Exception e)
        {
            return ValueTask.FromException<T>(e);
        }
    }

    public async ValueTask<long> PutAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default) =>
        await EnqueueAsync(SqliteWriteKind.Put, key, value, null, cancellationToken);

    public async ValueTask<bool> InsertIfAbsentAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default) =>
        await EnqueueAsync(SqliteWriteKind.InsertIfAbsent, key, value, null, cancellationToken) == 1;

    public async ValueTask<bool> CompareAndSwapAsync(string key, long expectedVersion, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default) =>
        await EnqueueAsync(SqliteWriteKind.CompareAndSwap, key, value, expectedVersion, cancellationToken) == 1;

    public async ValueTask<bool> DeleteAsync(string key, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        await EnqueueAsync(SqliteWriteKind.Delete, key, ReadOnlyMemory<byte>.Empty, expectedVersion, cancellationToken) == 1;

    /// <summary>
    /// Reads in pages of <see cref="SqliteSession.ScanPageSize"/> keys, so no connection is
    /// held while the caller consumes results; each page is a consistent snapshot, the whole
    /// scan is not.
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
            cancellationToken.ThrowIfCancellationRequested();
            var reader = RentReader();
            List<KeyValuePair<string, VersionedValue>> page;
            try
            {
                page = reader.ScanPage(from, inclusive, upper);
            }
            finally
            {
                ReturnReader(reader);
            }

            foreach (var entry in page)
            {
                yield return entry;
            }

            if (page.Count < SqliteSession.ScanPageSize)
            {
                yield break;
            }

            from = page[^1].Key;
            inclusive = false;

            // Lets a caller on a single-threaded context interleave with long scans.
            await Task.Yield();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _writes.Writer.TryComplete();
        await _writerLoop;
        _writer.Dispose();
        while (_idleReaders.TryTake(out var reader))
        {
            reader.Dispose();
        }
    }

    private async Task<long> EnqueueAsync(SqliteWriteKind kind, string key, ReadOnlyMemory<byte> value, long? expectedVersion, CancellationToken cancellationToken)
    {
        MetadataKeys.Validate(key);
        cancellationToken.ThrowIfCancellationRequested();
        var write = new SqliteWrite(kind, key, kind == SqliteWriteKind.Delete ? null : AsArray(value), expectedVersion, cancellationToken);
        if (!_writes.Writer.TryWrite(write))
        {
            throw new ObjectDisposedException(nameof(SqliteMetadataStore));
        }

        return await write.Completion.Task;
    }

    private async Task RunWriterAsync()
    {
        var batch = new List<SqliteWrite>(MaxBatch);
        var reader = _writes.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && reader.TryRead(out var write))
            {
                batch.Add(write);
            }

            Exception? failure = null;
            try
            {
                _writer.Execute("BEGIN IMMEDIATE;");
                try
                {
                    foreach (var write in batch)
                    {
                        Apply(write);
                    }

                    _writer.Execute("COMMIT;");
                }
                catch
                {
                    _writer.Execute("ROLLBACK;");
                    throw;
                }
            }
            catch (Exception e)
            {
                // Nothing of the batch is on disk, so every write in it fails together.
                failure = e;
            }

            foreach (var write in batch)
            {
                if (write.Skipped)
                {
                    write.Completion.TrySetCanceled(write.CancellationToken);
                }
                else if (failure is not null)
                {
                    write.Completion.TrySetException(failure);
                }
                else
                {
                    write.Completion.TrySetResult(write.Result);
                }
            }

            batch.Clear();
        }
    }

    private void Apply(SqliteWrite write)
    {
        // Cancellation is honoured only before a write runs, so a cancelled call never took effect.
        if (write.CancellationToken.IsCancellationRequested)
        {
            write.Skipped = true;
            return;
        }

        write.Result = write.Kind switch
        {
            SqliteWriteKind.Put => _writer.Put(write.Key, write.Value!),
            SqliteWriteKind.InsertIfAbsent => _writer.InsertIfAbsent(write.Key, write.Value!) ? 1 : 0,
            SqliteWriteKind.CompareAndSwap => _writer.CompareAndSwap(write.Key, write.ExpectedVersion!.Value, write.Value!) ? 1 : 0,
            SqliteWriteKind.Delete => _writer.Delete(write.Key, write.ExpectedVersion) ? 1 : 0,
            _ => throw new InvalidOperationException($"Unknown write kind {write.Kind}."),
        };
    }

    private SqliteSession RentReader()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        return _idleReaders.TryTake(out var reader) ? reader : SqliteSession.Open(_connectionString, writer: false);
    }

    private void ReturnReader(SqliteSession reader)
    {
        if (Volatile.Read(ref _disposed) == 1 || _idleReaders.Count >= _maxIdleReaders)
        {
            reader.Dispose();
            return;
        }

        _idleReaders.Add(reader);

        // DisposeAsync may have drained the pool between the check above and the Add.
        if (Volatile.Read(ref _disposed) == 1 && _idleReaders.TryTake(out var late))
        {
            late.Dispose();
        }
    }

    // SQLite binds whole arrays only; copy when the caller passed a slice.
    private static byte[] AsArray(ReadOnlyMemory<byte> value) =>
        MemoryMarshal.TryGetArray(value, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : value.ToArray();
}

using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using Faasten.Fs.Storage;
using Faasten.Tests.Common;
using Faasten.Tests.Common.Storage;
using Microsoft.Data.Sqlite;

namespace Faasten.Fs.Tests.Storage;

public sealed class SqliteMetadataStoreCrashTests : IDisposable
{
    private readonly TempDirectory _directory = new("faasten-sqlite-crash");

    private string DatabasePath => _directory.Combine("metadata.db");

    [Fact]
    public async Task ProcessKilledInWriteLoop_ReopensCleanWithOnlyCompleteDurableValues()
    {
        var random = new Random(5);
        for (var run = 1; run <= 3; run++)
        {
            using var child = CrashHelperProcess.Start("sqlite", DatabasePath, run.ToString(CultureInfo.InvariantCulture));
            await child.WaitForLineAsync(l => l == "ready", TimeSpan.FromSeconds(60));
            await Task.Delay(random.Next(0, 300));
            await child.KillAsync();

            AssertIntact();
            await AssertDurableAsync(run, child.Lines);
        }
    }

    [Fact]
    public async Task Open_UsesWriteAheadLog()
    {
        await using (var store = SqliteMetadataStore.Open(DatabasePath))
        {
            await store.PutAsync("k", new byte[] { 1 });
        }

        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", command.ExecuteScalar());
    }

    public void Dispose() => _directory.Dispose();

    /// <summary>SQLite's own check, on a fresh connection that performs WAL recovery.</summary>
    private void AssertIntact()
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        Assert.Equal("ok", command.ExecuteScalar());
    }

    /// <summary>Every write the helper reported is on disk, and every stored record is whole.</summary>
    private async Task AssertDurableAsync(int run, IReadOnlyList<string> lines)
    {
        var reported = new Dictionary<string, int>(StringComparer.Ordinal);
        long counter = 0;
        foreach (var line in lines)
        {
            var parts = line.Split(' ');
            if (parts[0] == "put")
            {
                var i = int.Parse(parts[2], CultureInfo.InvariantCulture);
                var key = $"t{parts[1]}:{i % 8}";
                reported[key] = Math.Max(reported.GetValueOrDefault(key, -1), i);
            }
            else if (parts[0] == "counter")
            {
                counter = Math.Max(counter, long.Parse(parts[1], CultureInfo.InvariantCulture));
            }
        }

        Assert.NotEmpty(reported);
        await using var store = SqliteMetadataStore.Open(DatabasePath);
        await foreach (var (key, stored) in store.ScanAsync("t"))
        {
            var record = stored.Value;
            Assert.True(record.Length > 44, $"{key} holds a truncated record");
            Assert.Equal(SHA256.HashData(record.AsSpan(0, record.Length - 32)), record[^32..]);
            var task = BinaryPrimitives.ReadInt32LittleEndian(record.AsSpan(4));
            var i = BinaryPrimitives.ReadInt32LittleEndian(record.AsSpan(8));
            Assert.Equal(key, $"t{task}:{i % 8}");
            if (reported.TryGetValue(key, out var last))
            {
                Assert.Equal(run, BinaryPrimitives.ReadInt32LittleEndian(record));
                Assert.True(i >= last, $"{key} holds write {i} but write {last} was reported durable");
            }
        }

        foreach (var key in reported.Keys)
        {
            Assert.NotNull(await store.GetAsync(key));
        }

        var storedCounter = await store.GetAsync("counter");
        Assert.True(BinaryPrimitives.ReadInt64LittleEndian(storedCounter!.Value.Value) >= counter);
    }
}

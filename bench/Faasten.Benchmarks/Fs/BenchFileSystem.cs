using Faasten.Fs;
using Faasten.Fs.Postgres;
using Faasten.Fs.Storage;
using Faasten.Labels;

namespace Faasten.Benchmarks.Fs;

/// <summary>A bootstrapped file system with user alice on the named metadata store, in a temp directory.</summary>
internal sealed class BenchFileSystem : IAsyncDisposable
{
    public static readonly Label Private = Label.Parse("alice,alice");

    private readonly string _dir;
    private readonly IMetadataStore _store;

    private BenchFileSystem(string dir, IMetadataStore store, LocalBlobStore blobs)
    {
        _dir = dir;
        _store = store;
        Blobs = blobs;
        Fs = new FileSystem(store, blobs);
    }

    public FileSystem Fs { get; }

    public LocalBlobStore Blobs { get; }

    /// <summary>A new file system over the same stores: nothing cached.</summary>
    public FileSystem Reopen() => new(_store, Blobs);

    /// <param name="store">"sqlite", or "postgres" on the server FAASTEN_TEST_POSTGRES names.</param>
    public static async Task<BenchFileSystem> CreateAsync(string store)
    {
        var dir = Directory.CreateTempSubdirectory("faasten-bench-fs-").FullName;
        IMetadataStore metadata = store == "sqlite"
            ? SqliteMetadataStore.Open(Path.Combine(dir, "metadata.db"))
            : await PostgresMetadataStore.OpenAsync(new PostgresMetadataStoreOptions
            {
                ConnectionString = Environment.GetEnvironmentVariable("FAASTEN_TEST_POSTGRES")
                    ?? throw new InvalidOperationException("set FAASTEN_TEST_POSTGRES to benchmark PostgreSQL"),
                Table = $"bench_fs_{Guid.NewGuid():N}", // in-process runs set up once per benchmark
            });
        var bench = new BenchFileSystem(dir, metadata, new LocalBlobStore(Path.Combine(dir, "blobs")));
        await bench.Fs.BootstrapAsync();
        Check(await bench.Fs.AddUserAsync(new SecurityContext(Component.False), "alice"));
        return bench;
    }

    /// <summary>A fresh computation of alice's: contexts float, so each operation gets its own.</summary>
    public static SecurityContext Alice() => new(Component.Parse("alice"));

    public static void Check(FsResult result)
    {
        if (!result.IsOk)
        {
            throw new InvalidOperationException(result.ToString());
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}

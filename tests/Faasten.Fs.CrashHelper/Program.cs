using System.Buffers.Binary;
using System.Security.Cryptography;
using Faasten.Fs;
using Faasten.Fs.Collection;
using Faasten.Fs.Postgres;
using Faasten.Fs.Storage;
using Faasten.Labels;

// Writes to a store until killed, printing a line after each write is durable so the test
// knows what must survive. Usage:
//   blob ROOT            commit one small blob ("committed HASH"), then stream a large one forever ("ready" after 8 MiB)
//   sqlite DB RUN        4 writers put self-checking records and bump a CAS counter ("ready" after 100 puts)
//   links DATA RUN       4 writers link files into ~:storm of alice and unlink every third ("linked/unlinked NAME" once acknowledged; "ready" after 100)
//   gc DATA              makes garbage and collects it in a loop, linking one kept file per round ("linked NAME", "collecting")
//   s3blob URL BUCKET KEY SECRET  commit one small blob to S3 ("committed HASH"), print "uploading", then multipart-upload
//                        big blobs forever ("uploading HASH" before each, "committed HASH" after)
//   pglinks CONN TABLE P COUNT   links COUNT files named P-i into ~:shared of alice on PostgreSQL, printing "linked NAME"; exits 0
return args switch
{
    ["blob", var root] => await BlobAsync(root),
    ["s3blob", var url, var bucket, var key, var secret] => await S3BlobAsync(url, bucket, key, secret),
    ["sqlite", var path, var run] => await SqliteAsync(path, int.Parse(run, System.Globalization.CultureInfo.InvariantCulture)),
    ["links", var data, var run] => await LinksAsync(data, run),
    ["gc", var data] => await CollectAsync(data),
    ["pglinks", var connection, var table, var prefix, var count] => await PostgresLinksAsync(connection, table, prefix, int.Parse(count, System.Globalization.CultureInfo.InvariantCulture)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: blob ROOT | s3blob URL BUCKET KEY SECRET | sqlite DB RUN | links DATA RUN | gc DATA | pglinks CONN TABLE PREFIX COUNT");
    return 2;
}

static async Task<FileSystem> OpenAsync(IMetadataStore store, string blobs, string directory)
{
    var fs = new FileSystem(store, new LocalBlobStore(blobs));
    await fs.BootstrapAsync();
    await fs.AddUserAsync(new SecurityContext(Component.False), "alice");
    var created = await fs.CreateDirectoryAsync(Alice(), "~:" + directory, Label.Parse("alice,alice"));
    if (!created.IsOk && created.Status != FsStatus.Exists)
    {
        throw new InvalidOperationException(created.ToString());
    }

    return fs;
}

static SecurityContext Alice() => new(Component.Parse("alice"));

static async Task<int> LinksAsync(string data, string run)
{
    var fs = await OpenAsync(SqliteMetadataStore.Open(Path.Combine(data, "metadata.db")), Path.Combine(data, "blobs"), "storm");
    var linked = 0;
    await Task.WhenAll(Enumerable.Range(0, 4).Select(task => Task.Run(async () =>
    {
        for (var i = 0; ; i++)
        {
            var name = $"r{run}-t{task}-{i}";
            Check(await fs.CreateFileAsync(Alice(), "~:storm:" + name, Label.Parse("alice,alice"), System.Text.Encoding.UTF8.GetBytes(name)));
            Console.WriteLine($"linked {name}");
            if (i % 3 == 2)
            {
                var victim = $"r{run}-t{task}-{i - 1}";
                Check(await fs.DeleteAsync(Alice(), "~:storm:" + victim));
                Console.WriteLine($"unlinked {victim}");
            }

            if (Interlocked.Increment(ref linked) == 100)
            {
                Console.WriteLine("ready");
            }
        }
    })));
    return 0;
}

static async Task<int> CollectAsync(string data)
{
    var fs = await OpenAsync(SqliteMetadataStore.Open(Path.Combine(data, "metadata.db")), Path.Combine(data, "blobs"), "kept");
    var collector = new GarbageCollector(fs, new CollectorOptions { Grace = TimeSpan.Zero });
    for (var round = 0; ; round++)
    {
        // Grace zero is safe only because nothing else writes while this process collects.
        var name = $"k{Guid.NewGuid():N}";
        Check(await fs.CreateFileAsync(Alice(), "~:kept:" + name, Label.Parse("alice,alice"), System.Text.Encoding.UTF8.GetBytes(name)));
        Console.WriteLine($"linked {name}");
        // A run killed before it unlinked its trash left it linked; it becomes garbage now.
        _ = await fs.DeleteAsync(Alice(), "~:trash");
        Check(await fs.CreateDirectoryAsync(Alice(), "~:trash", Label.Parse("alice,alice")));
        for (var i = 0; i < 50; i++)
        {
            Check(await fs.CreateFileAsync(Alice(), $"~:trash:{i}", Label.Parse("alice,alice")));
        }

        Check(await fs.DeleteAsync(Alice(), "~:trash"));
        Console.WriteLine("collecting");
        await collector.CollectAsync();
        if (round == 2)
        {
            Console.WriteLine("ready");
        }
    }
}

static async Task<int> PostgresLinksAsync(string connection, string table, string prefix, int count)
{
    await using var store = await PostgresMetadataStore.OpenAsync(new PostgresMetadataStoreOptions { ConnectionString = connection, Table = table });
    var blobs = Path.Combine(Path.GetTempPath(), $"faasten-pglinks-{Guid.NewGuid():N}");
    try
    {
        var fs = await OpenAsync(store, blobs, "shared");
        for (var i = 0; i < count; i++)
        {
            Check(await fs.CreateFileAsync(Alice(), $"~:shared:{prefix}-{i}", Label.Parse("alice,alice")));
            Console.WriteLine($"linked {prefix}-{i}");
        }

        return 0;
    }
    finally
    {
        Directory.Delete(blobs, recursive: true);
    }
}

static void Check(FsResult result)
{
    if (!result.IsOk)
    {
        throw new InvalidOperationException(result.ToString());
    }
}

static async Task<int> S3BlobAsync(string url, string bucket, string key, string secret)
{
    using var store = new Faasten.Fs.S3.S3BlobStore(
        new Faasten.Fs.S3.S3BlobStoreOptions { Endpoint = url, Bucket = bucket, PartBytes = Faasten.Fs.S3.S3BlobStoreOptions.MinPartBytes },
        new Amazon.Runtime.BasicAWSCredentials(key, secret));
    await using (var small = store.BeginWrite())
    {
        await small.WriteAsync("survives the crash"u8.ToArray());
        Console.WriteLine($"committed {await small.CommitAsync()}");
    }

    Console.WriteLine("uploading");
    var data = new byte[(4 * Faasten.Fs.S3.S3BlobStoreOptions.MinPartBytes) + 1];
    for (var seed = 0; ; seed++)
    {
        new Random(seed).NextBytes(data);
        Console.WriteLine($"uploading {Convert.ToHexStringLower(SHA256.HashData(data))}");
        await using var big = store.BeginWrite();
        await big.WriteAsync(data);
        Console.WriteLine($"committed {await big.CommitAsync()}");
    }
}

static async Task<int> BlobAsync(string root)
{
    var store = new LocalBlobStore(root);
    await using (var small = store.BeginWrite())
    {
        await small.WriteAsync("survives the crash"u8.ToArray());
        Console.WriteLine($"committed {await small.CommitAsync()}");
    }

    await using var writer = store.BeginWrite();
    var chunk = new byte[1 << 20];
    new Random(7).NextBytes(chunk);
    for (var mib = 1; ; mib++)
    {
        await writer.WriteAsync(chunk);
        if (mib == 8)
        {
            Console.WriteLine("ready");
        }

        // Bounded, so a test that fails to kill us does not fill the disk.
        if (mib >= 256)
        {
            await Task.Delay(Timeout.Infinite);
        }
    }
}

static async Task<int> SqliteAsync(string path, int run)
{
    var store = SqliteMetadataStore.Open(path);
    var puts = 0;
    await Task.WhenAll(Enumerable.Range(0, 4).Select(task => Task.Run(async () =>
    {
        for (var i = 0; ; i++)
        {
            await store.PutAsync($"t{task}:{i % 8}", Record(run, task, i));
            Console.WriteLine($"put {task} {i}");
            if (Interlocked.Increment(ref puts) == 100)
            {
                Console.WriteLine("ready");
            }

            while (true)
            {
                var current = await store.GetAsync("counter");
                var next = current is { } c ? BinaryPrimitives.ReadInt64LittleEndian(c.Value) + 1 : 1;
                var bytes = new byte[8];
                BinaryPrimitives.WriteInt64LittleEndian(bytes, next);
                var stored = current is { } v
                    ? await store.CompareAndSwapAsync("counter", v.Version, bytes)
                    : await store.InsertIfAbsentAsync("counter", bytes);
                if (stored)
                {
                    Console.WriteLine($"counter {next}");
                    break;
                }
            }
        }
    })));
    return 0;
}

// run, task, i (4 bytes each), a payload of varying length, then SHA-256 of everything before it.
static byte[] Record(int run, int task, int i)
{
    var random = new Random(HashCode.Combine(run, task, i));
    var record = new byte[12 + random.Next(16, 16 * 1024) + 32];
    BinaryPrimitives.WriteInt32LittleEndian(record, run);
    BinaryPrimitives.WriteInt32LittleEndian(record.AsSpan(4), task);
    BinaryPrimitives.WriteInt32LittleEndian(record.AsSpan(8), i);
    random.NextBytes(record.AsSpan(12, record.Length - 44));
    SHA256.HashData(record.AsSpan(0, record.Length - 32), record.AsSpan(record.Length - 32));
    return record;
}

using System.Buffers.Binary;
using System.Security.Cryptography;
using Faasten.Fs.Storage;

// Writes to a store until killed, printing a line after each write is durable so the test
// knows what must survive. Usage:
//   blob ROOT            commit one small blob ("committed HASH"), then stream a large one forever ("ready" after 8 MiB)
//   sqlite DB RUN        4 writers put self-checking records and bump a CAS counter ("ready" after 100 puts)
return args switch
{
    ["blob", var root] => await BlobAsync(root),
    ["sqlite", var path, var run] => await SqliteAsync(path, int.Parse(run, System.Globalization.CultureInfo.InvariantCulture)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: blob ROOT | sqlite DB RUN");
    return 2;
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

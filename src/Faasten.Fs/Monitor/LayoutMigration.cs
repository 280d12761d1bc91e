using System.Text;
using Faasten.Fs.Objects;
using Faasten.Fs.Storage;

namespace Faasten.Fs.Monitor;

/// <summary>
/// Converts a store written when a directory was one record holding all its entries (and a
/// faceted directory one record holding all its facets): every entry and facet becomes a key of
/// its own, then the record is rewritten without them, then <see cref="FsKeys.Layout"/> is set.
/// Each step is idempotent (insert-if-absent, compare-and-swap), so a crash anywhere is repaired
/// by the next start. One process converts at a time, under a lease it renews; the others wait
/// for the marker before they serve, because an unlink served during someone else's conversion
/// could be undone by it re-inserting the entry from the old record.
/// </summary>
internal sealed class LayoutMigration(IMetadataStore store, TimeProvider time)
{
    public const string CurrentLayout = "2";

    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly byte[] _holder = Guid.NewGuid().ToByteArray();

    public async ValueTask RunAsync(CancellationToken ct)
    {
        while (!await IsCurrentAsync(ct).ConfigureAwait(false))
        {
            if (await TryTakeLeaseAsync(ct).ConfigureAwait(false) is { } lease)
            {
                try
                {
                    await ConvertAsync(lease, ct).ConfigureAwait(false);
                    await store.PutAsync(FsKeys.Layout, Encoding.ASCII.GetBytes(CurrentLayout), ct).ConfigureAwait(false);
                }
                finally
                {
                    await store.DeleteAsync(FsKeys.MigrationLease, null, CancellationToken.None).ConfigureAwait(false);
                }

                return;
            }

            await Task.Delay(PollInterval, time, ct).ConfigureAwait(false);
        }
    }

    private async ValueTask<bool> IsCurrentAsync(CancellationToken ct) =>
        await store.GetAsync(FsKeys.Layout, ct).ConfigureAwait(false) is { } layout
        && Encoding.ASCII.GetString(layout.Value) == CurrentLayout;

    // The lease's version, or null while another live process holds it.
    private async ValueTask<Lease?> TryTakeLeaseAsync(CancellationToken ct)
    {
        var value = LeaseValue();
        if (await store.InsertIfAbsentAsync(FsKeys.MigrationLease, value, ct).ConfigureAwait(false))
        {
            return new Lease(1);
        }

        if (await store.GetAsync(FsKeys.MigrationLease, ct).ConfigureAwait(false) is not { } held)
        {
            return null;
        }

        // A holder that stopped renewing died: take over from where it left off.
        return FsKeys.DecodeTime(held.Value.AsSpan(0, Math.Min(8, held.Value.Length))) < Now
            && await store.CompareAndSwapAsync(FsKeys.MigrationLease, held.Version, value, ct).ConfigureAwait(false)
            ? new Lease(held.Version + 1)
            : null;
    }

    private async ValueTask ConvertAsync(Lease lease, CancellationToken ct)
    {
        var sinceRenewal = 0;
        await foreach (var (key, stored) in store.ScanAsync(FsKeys.ObjectPrefix, null, ct).ConfigureAwait(false))
        {
            if (++sinceRenewal >= 256)
            {
                await RenewAsync(lease, ct).ConfigureAwait(false);
                sinceRenewal = 0;
            }

            var record = ObjectCodec.Record(stored.Value);
            if (record.Entries is not { Count: > 0 } && record.Facets is not { Count: > 0 })
            {
                continue;
            }

            var id = new ObjectId(key[FsKeys.ObjectPrefix.Length..]);
            foreach (var (name, entry) in record.Entries ?? [])
            {
                await store.InsertIfAbsentAsync(FsKeys.Entry(id, name), ObjectCodec.EncodeEntry(new ObjectId(entry.Id), entry.Kind), ct).ConfigureAwait(false);
            }

            foreach (var (facet, dir) in record.Facets ?? [])
            {
                // A facet the new layout cannot key reads as unwritten; its old directory is left to the collector.
                if (FsKeys.IsStorableFacet(facet))
                {
                    await store.InsertIfAbsentAsync(FsKeys.Facet(id, facet), ObjectCodec.EncodeEntry(new ObjectId(dir), ObjectKind.Directory), ct).ConfigureAwait(false);
                }
            }

            (record.Entries, record.Facets) = (null, null);

            // Only this process writes old records now; a lost swap means a dead holder's
            // successor got here first, and the record is converted either way.
            await store.CompareAndSwapAsync(key, stored.Version, ObjectCodec.Encode(record), ct).ConfigureAwait(false);
        }
    }

    private async ValueTask RenewAsync(Lease lease, CancellationToken ct)
    {
        if (!await store.CompareAndSwapAsync(FsKeys.MigrationLease, lease.Version, LeaseValue(), ct).ConfigureAwait(false))
        {
            throw new InvalidOperationException("lost the layout migration lease to another process (this one stalled for longer than the lease); restart to resume");
        }

        lease.Version++;
    }

    private byte[] LeaseValue() => [.. FsKeys.EncodeTime(Now + (long)LeaseDuration.TotalMilliseconds), .. _holder];

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    private sealed class Lease(long version)
    {
        public long Version { get; set; } = version;
    }
}

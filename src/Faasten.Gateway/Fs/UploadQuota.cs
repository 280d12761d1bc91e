using System.Buffers.Binary;
using Faasten.Fs.Storage;
using Faasten.Gateway.Auth;

namespace Faasten.Gateway.Fs;

/// <summary>
/// Bytes of blob content each account has uploaded through the gateway, under
/// <c>quota/blob/user/&lt;name&gt;</c> (and <c>quota/blob/anonymous</c>, shared by all anonymous
/// callers) in the metadata store: an 8-byte little-endian count, updated by compare-and-swap so
/// concurrent uploads on any gateway never lose a charge.
/// </summary>
/// <remarks>
/// The count is shared state its owner observes (an upload refused for quota), so only what the
/// caller does itself may move it: uploads it makes through the gateway, decided on facts the
/// caller may see (the upload handler stops before reading the body when the computation's label
/// is no longer releasable to it). Blobs functions create are never charged: a function running
/// at a high label could otherwise signal to a low observer through the count. The charge is per
/// upload, never per distinct content: charging less for content already stored would reveal
/// that it exists (rule 8).
/// </remarks>
internal sealed class UploadQuota(IMetadataStore store, GatewayOptions options)
{
    private const string KeyPrefix = "quota/blob/";

    /// <summary>The account an upload is charged to: the token's user, whatever sub-privilege it carries.</summary>
    public static string AccountOf(Caller caller) => caller.User is { } user ? "user/" + user : "anonymous";

    public long LimitOf(Caller caller) => caller.User is null ? options.AnonymousBlobQuotaBytes : options.BlobQuotaBytes;

    public async ValueTask<long> UsedAsync(string account, CancellationToken ct = default) =>
        await store.GetAsync(KeyPrefix + account, ct).ConfigureAwait(false) is { } stored ? Decode(stored.Value) : 0;

    /// <summary>Adds <paramref name="bytes"/> to the account unless that would pass <paramref name="limit"/>; false, changing nothing, then.</summary>
    public async ValueTask<bool> TryChargeAsync(string account, long bytes, long limit, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        var key = KeyPrefix + account;
        while (true)
        {
            var stored = await store.GetAsync(key, ct).ConfigureAwait(false);
            var used = stored is { } s ? Decode(s.Value) : 0;
            if (bytes > limit - used)
            {
                return false;
            }

            var next = Encode(used + bytes);
            var written = stored is { } current
                ? await store.CompareAndSwapAsync(key, current.Version, next, ct).ConfigureAwait(false)
                : await store.InsertIfAbsentAsync(key, next, ct).ConfigureAwait(false);
            if (written)
            {
                return true;
            }
        }
    }

    /// <summary>Gives back bytes charged for content that was not stored (never below zero).</summary>
    public async ValueTask RefundAsync(string account, long bytes, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        if (bytes == 0)
        {
            return;
        }

        var key = KeyPrefix + account;
        while (await store.GetAsync(key, ct).ConfigureAwait(false) is { } stored)
        {
            // The key is never deleted: a deleted key restarts at version 1, which a racing CAS could mistake for its own.
            if (await store.CompareAndSwapAsync(key, stored.Version, Encode(Math.Max(0, Decode(stored.Value) - bytes)), ct).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    private static long Decode(byte[] value) => value.Length == sizeof(long)
        ? BinaryPrimitives.ReadInt64LittleEndian(value)
        : throw new InvalidDataException($"an upload quota record holds {value.Length} bytes, not {sizeof(long)}");

    private static byte[] Encode(long used)
    {
        var value = new byte[sizeof(long)];
        BinaryPrimitives.WriteInt64LittleEndian(value, used);
        return value;
    }
}

using System.Buffers.Binary;

namespace Faasten.Fs.Objects;

/// <summary>
/// The metadata keys of the file system. Object ids are hex (or <c>root</c>) and never hold a
/// '/', so everything after <c>ent/&lt;dir&gt;/</c> is the name, and a directory's entries are
/// exactly the keys under its prefix, in name order (code point order, as the stores sort).
/// </summary>
internal static class FsKeys
{
    /// <summary>Present (value "2") once the store holds entries as keys; see <c>LayoutMigration</c>.</summary>
    public const string Layout = "fs/layout";

    /// <summary>Held by the one process converting an old store, so no other serves before it is done.</summary>
    public const string MigrationLease = "fs/migration";

    /// <summary>
    /// Written (so its version grows by one) before every entry is deleted: the epoch that
    /// path walks read once to know which cached entries still hold; see <c>EntryCache</c>.
    /// Never deleted, so its version never starts over.
    /// </summary>
    public const string UnlinkEpoch = "fs/unlinks";

    public const string ObjectPrefix = "obj/";

    /// <summary>Objects that lost an entry: the collector's deletion barrier (see <c>GarbageCollector</c>).</summary>
    public const string GrayPrefix = "gc/gray/";

    /// <summary>Blobs a gate stopped referencing when it was updated: kept through the grace period like gray objects.</summary>
    public const string GrayBlobPrefix = "gc/grayblob/";

    public static string EntryPrefix(ObjectId dir) => "ent/" + dir.Value + "/";

    public static string Entry(ObjectId dir, string name) => EntryPrefix(dir) + name;

    public static string FacetPrefix(ObjectId faceted) => "fct/" + faceted.Value + "/";

    public static string Facet(ObjectId faceted, string facet) => FacetPrefix(faceted) + facet;

    /// <summary>
    /// A label whose text is not a valid key (a principal with a lone surrogate) cannot be a
    /// stored facet: it reads as an unwritten one and refuses to be written, which depends only
    /// on the label, never on the store.
    /// </summary>
    public static bool IsStorableFacet(string facet) => Storage.MetadataKeys.IsWellFormedKey(facet);

    public static string Gray(ObjectId id) => GrayPrefix + id.Value;

    public static string GrayBlob(string hash) => GrayBlobPrefix + hash;

    public static byte[] EncodeTime(long unixMs)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, unixMs);
        return bytes;
    }

    public static long DecodeTime(ReadOnlySpan<byte> bytes) => bytes.Length == 8 ? BinaryPrimitives.ReadInt64LittleEndian(bytes) : 0;
}

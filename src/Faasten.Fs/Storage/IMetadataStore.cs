namespace Faasten.Fs.Storage;

/// <summary>
/// The key–value store under the labeled file system. Every mutation that depends on a
/// previous read goes through <see cref="CompareAndSwapAsync"/> so concurrent writers
/// never lose an update; versions start at 1 and grow by one on each successful write.
/// A deleted key written again starts over at version 1, so a version read before a delete
/// must not be trusted after it (give new objects fresh keys rather than reusing old ones).
/// </summary>
public interface IMetadataStore : IAsyncDisposable
{
    /// <summary>The value and its version, or null when the key is absent.</summary>
    ValueTask<VersionedValue?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Several keys in one call (one round trip to a server): the values in the order of
    /// <paramref name="keys"/>, null where absent. Each key is read no earlier than the one
    /// before it (PostgreSQL reads them all in one statement, in one snapshot).
    /// </summary>
    ValueTask<IReadOnlyList<VersionedValue?>> GetManyAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default);

    /// <summary>Unconditional write; returns the new version.</summary>
    ValueTask<long> PutAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default);

    /// <summary>Writes only if the key is absent; false when it already exists.</summary>
    ValueTask<bool> InsertIfAbsentAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default);

    /// <summary>Writes only if the stored version equals <paramref name="expectedVersion"/>.</summary>
    ValueTask<bool> CompareAndSwapAsync(string key, long expectedVersion, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default);

    /// <summary>Deletes the key; with an expected version, only if it still matches. False when nothing was deleted.</summary>
    ValueTask<bool> DeleteAsync(string key, long? expectedVersion = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every key starting with <paramref name="prefix"/>, in ordinal key order: Unicode code
    /// point order (UTF-8 byte order), the same in every backend; see <see cref="MetadataKeys"/>.
    /// With <paramref name="startAfter"/> (which must itself start with the prefix), only keys
    /// after it: a cursor, so a long listing is read a page at a time.
    /// </summary>
    IAsyncEnumerable<KeyValuePair<string, VersionedValue>> ScanAsync(string prefix, string? startAfter = null, CancellationToken cancellationToken = default);
}

using System.Runtime.CompilerServices;
using Faasten.Fs.Storage;

namespace Faasten.Tests.Common.Storage;

/// <summary>A real store that counts the reads it is asked for, to show what a cache saves.</summary>
public sealed class CountingMetadataStore(IMetadataStore inner) : IMetadataStore
{
    private int _gets;

    public int Gets => Volatile.Read(ref _gets);

    public void Reset() => Interlocked.Exchange(ref _gets, 0);

    public ValueTask<VersionedValue?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _gets);
        return inner.GetAsync(key, cancellationToken);
    }

    /// <summary>One read: one round trip, however many keys.</summary>
    public ValueTask<IReadOnlyList<VersionedValue?>> GetManyAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _gets);
        return inner.GetManyAsync(keys, cancellationToken);
    }

    public ValueTask<long> PutAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default) =>
        inner.PutAsync(key, value, cancellationToken);

    public ValueTask<bool> InsertIfAbsentAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default) =>
        inner.InsertIfAbsentAsync(key, value, cancellationToken);

    public ValueTask<bool> CompareAndSwapAsync(string key, long expectedVersion, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default) =>
        inner.CompareAndSwapAsync(key, expectedVersion, value, cancellationToken);

    public ValueTask<bool> DeleteAsync(string key, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        inner.DeleteAsync(key, expectedVersion, cancellationToken);

    public async IAsyncEnumerable<KeyValuePair<string, VersionedValue>> ScanAsync(string prefix, string? startAfter = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var item in inner.ScanAsync(prefix, startAfter, cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }
    }

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}

namespace Faasten.Fs.Storage;

public static class BlobStoreExtensions
{
    /// <summary>
    /// Reads up to <c>destination.Length</c> bytes starting at <paramref name="offset"/>;
    /// returns the count read (less at the end of the blob, 0 past it), or null when the
    /// blob does not exist.
    /// </summary>
    public static async ValueTask<int?> ReadRangeAsync(
        this IBlobStore store,
        string hash,
        long offset,
        Memory<byte> destination,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var stream = await store.OpenReadAsync(hash, cancellationToken);
        if (stream is null)
        {
            return null;
        }

        await using (stream)
        {
            if (offset >= stream.Length)
            {
                return 0;
            }

            stream.Seek(offset, SeekOrigin.Begin);
            return await stream.ReadAtLeastAsync(destination, destination.Length, throwOnEndOfStream: false, cancellationToken);
        }
    }
}

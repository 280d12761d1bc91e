namespace Faasten.Kernel;

/// <summary>
/// The hashes of the blobs this invocation wrote itself. Rule 8: a hash is never a capability,
/// so <c>fs_linkblob</c> and <c>fs_creategate</c> accept a bare hash only from this set;
/// anything else names a blob entry by path, which the monitor resolves and taints with.
/// </summary>
internal sealed class CreatedBlobs(int capacity)
{
    private readonly HashSet<string> _hashes = new(StringComparer.Ordinal);

    /// <summary>Remembers a hash; past the capacity the invocation links its blobs by path instead.</summary>
    public void Add(string hash)
    {
        if (_hashes.Count < capacity)
        {
            _hashes.Add(hash);
        }
    }

    public bool Contains(string reference) => _hashes.Contains(reference);
}

namespace Faasten.Fs.Collection;

/// <summary>What one collection found and reclaimed.</summary>
public sealed record CollectionReport(long ObjectsScanned, long ObjectsReachable, long ObjectsDeleted, long EntriesDeleted, long BlobsScanned, long BlobsDeleted)
{
    public override string ToString() =>
        $"objects: {ObjectsScanned} scanned, {ObjectsReachable} kept as reachable or recent, {ObjectsDeleted} deleted ({EntriesDeleted} entries); blobs: {BlobsScanned} scanned, {BlobsDeleted} deleted";
}

using Faasten.Labels;

namespace Faasten.Fs.Objects;

/// <summary>A labeled entry naming immutable content in the blob store.</summary>
public sealed record FsBlob(Label BlobLabel, string Hash, long Length) : FsObject
{
    public override ObjectKind Kind => ObjectKind.Blob;

    public override Label Label => BlobLabel;
}

using Faasten.Labels;

namespace Faasten.Fs.Objects;

public sealed record FsFile(Label FileLabel, byte[] Data) : FsObject
{
    public override ObjectKind Kind => ObjectKind.File;

    public override Label Label => FileLabel;
}

using Faasten.Labels;

namespace Faasten.Fs.Objects;

/// <summary>
/// A directory's own record holds only its label, which never changes: its entries are keys of
/// their own (<see cref="FsKeys.Entry"/>), so a link or unlink touches one entry, never the
/// directory, and a directory of any size costs the same to change.
/// </summary>
public sealed record FsDirectory(Label DirectoryLabel) : FsObject
{
    public static FsDirectory Empty(Label label) => new(label);

    public override ObjectKind Kind => ObjectKind.Directory;

    public override Label Label => DirectoryLabel;
}

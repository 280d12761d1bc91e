using System.Collections.Immutable;
using Faasten.Labels;

namespace Faasten.Fs.Objects;

public sealed record FsDirectory(Label DirectoryLabel, ImmutableSortedDictionary<string, DirectoryEntry> Entries) : FsObject
{
    public static FsDirectory Empty(Label label) => new(label, ImmutableSortedDictionary.Create<string, DirectoryEntry>(StringComparer.Ordinal));

    public override ObjectKind Kind => ObjectKind.Directory;

    public override Label Label => DirectoryLabel;
}

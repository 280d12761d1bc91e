using Faasten.Fs.Objects;
using Faasten.Protocol.V1;

namespace Faasten.Kernel;

internal static class EntryKinds
{
    public static EntryKind ToWire(ObjectKind kind) => kind switch
    {
        ObjectKind.Directory => EntryKind.Directory,
        ObjectKind.File => EntryKind.File,
        ObjectKind.Blob => EntryKind.Blob,
        ObjectKind.FacetedDirectory => EntryKind.FacetedDirectory,
        ObjectKind.Gate => EntryKind.Gate,
        ObjectKind.RedirectGate => EntryKind.RedirectGate,
        ObjectKind.Service => EntryKind.Service,
        ObjectKind.Trigger => EntryKind.Trigger,
        ObjectKind.Schedule => EntryKind.Schedule,
        _ => EntryKind.Unspecified,
    };

    public static DirEntry ToWire(DirectoryEntry entry) => new() { Name = entry.Name, Kind = ToWire(entry.Kind) };
}

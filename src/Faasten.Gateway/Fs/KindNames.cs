using Faasten.Fs.Objects;

namespace Faasten.Gateway.Fs;

/// <summary>Object kinds as they appear in JSON (docs/http-api.md).</summary>
internal static class KindNames
{
    public static string Of(ObjectKind kind) => kind switch
    {
        ObjectKind.Directory => "directory",
        ObjectKind.File => "file",
        ObjectKind.Blob => "blob",
        ObjectKind.FacetedDirectory => "faceted_directory",
        ObjectKind.Gate => "gate",
        ObjectKind.RedirectGate => "redirect_gate",
        ObjectKind.Service => "service",
        ObjectKind.Trigger => "trigger",
        ObjectKind.Schedule => "schedule",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}

using Faasten.Labels;

namespace Faasten.Fs.Objects;

/// <summary>
/// An object of the labeled file system. Labels are fixed at creation: the monitor checks
/// a label once and relies on it not changing under a retry loop.
/// </summary>
public abstract record FsObject
{
    public abstract ObjectKind Kind { get; }

    /// <summary>The object's label; null only for faceted directories, which are unlabeled.</summary>
    public abstract Label? Label { get; }
}

using Faasten.Fs.Storage;
using Faasten.Labels;

namespace Faasten.Kernel;

/// <summary>
/// A blob being created: bytes stream straight into the store's writer (never buffered
/// whole); finalize commits it and links it at <see cref="Path"/> if one was given.
/// </summary>
internal sealed class BlobWriteSlot(IBlobWriter writer, string? path, Label? label) : BlobSlot
{
    public IBlobWriter Writer => writer;

    public string? Path => path;

    /// <summary>Null: link with the caller's label at finalize time, which covers everything it read meanwhile.</summary>
    public Label? Label => label;

    public override ValueTask DisposeAsync() => writer.DisposeAsync();
}

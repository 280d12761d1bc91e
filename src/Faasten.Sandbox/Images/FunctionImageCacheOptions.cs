namespace Faasten.Sandbox.Images;

/// <summary>
/// Bounds of the image cache: a SquashFS image compresses a gigabyte of zeros into a few
/// kilobytes, so an image blob's size says nothing about what it unpacks to. Immutable; check
/// with <see cref="Validate"/>.
/// </summary>
public sealed record FunctionImageCacheOptions
{
    private const long MiB = 1024 * 1024;

    public static FunctionImageCacheOptions Default { get; } = new();

    /// <summary>
    /// Most one unpacked image may take, in bytes: every entry is charged its length rounded up
    /// to 4 KiB blocks, at least one block (so empty files, directories and symlinks count, and a
    /// sparse file counts in full).
    /// </summary>
    public long MaxUnpackedBytes { get; init; } = 512 * MiB;

    /// <summary>Most entries (files, directories, symlinks) one image may hold.</summary>
    public int MaxEntries { get; init; } = 100_000;

    /// <summary>
    /// Most all cached images may take together (charged as <see cref="MaxUnpackedBytes"/>).
    /// Images no VM holds are evicted least recently used to make room; when every image is in
    /// use, a new one is refused until VMs let go.
    /// </summary>
    public long MaxCacheBytes { get; init; } = 4096 * MiB;

    /// <summary>
    /// How often an extraction in progress is measured; it is stopped as soon as it passes a
    /// bound, so an image whose listing understates its content still cannot exceed it by much.
    /// </summary>
    public TimeSpan UnpackCheckInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    public string UnsquashfsPath { get; init; } = "/usr/bin/unsquashfs";

    /// <summary>Every problem with these options; empty when usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxUnpackedBytes < ImageSize.Block)
        {
            errors.Add($"{nameof(MaxUnpackedBytes)} must be at least {ImageSize.Block}");
        }

        if (MaxEntries < 1)
        {
            errors.Add($"{nameof(MaxEntries)} must be at least 1");
        }

        if (MaxCacheBytes < MaxUnpackedBytes)
        {
            errors.Add($"{nameof(MaxCacheBytes)} must be at least {nameof(MaxUnpackedBytes)} (one image must fit)");
        }

        if (UnpackCheckInterval <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(UnpackCheckInterval)} must be positive");
        }

        if (string.IsNullOrWhiteSpace(UnsquashfsPath))
        {
            errors.Add($"{nameof(UnsquashfsPath)} must be set");
        }

        return errors;
    }
}

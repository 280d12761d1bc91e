using System.Globalization;

namespace Faasten.Sandbox.Images;

/// <summary>
/// What an unpacked image takes, by one rule for the listing and for the tree on disk: each
/// entry is charged its length rounded up to whole blocks, at least one block. Directory and
/// symlink lengths are ignored (one block each); a sparse file is charged its full length.
/// </summary>
internal readonly record struct ImageSize(long Bytes, long Entries)
{
    public const long Block = 4096;

    public ImageSize Add(long length)
    {
        var charge = length <= Block ? Block : length > long.MaxValue - Block ? long.MaxValue : (length + Block - 1) / Block * Block;
        return new ImageSize(Bytes > long.MaxValue - charge ? long.MaxValue : Bytes + charge, Entries + 1);
    }

    public bool Exceeds(FunctionImageCacheOptions options) => Bytes > options.MaxUnpackedBytes || Entries > options.MaxEntries;

    public InvalidDataException Refusal(string hash, FunctionImageCacheOptions options) => Entries > options.MaxEntries
        ? ImageRefusal.Create($"Image {hash} holds more than the {options.MaxEntries} entries a function image may hold.")
        : ImageRefusal.Create($"Image {hash} unpacks to more than the {Format(options.MaxUnpackedBytes)} a function image may take (at least {Format(Bytes)}).");

    /// <summary>
    /// Adds one line of an <c>unsquashfs -lln</c> listing already checked by
    /// <see cref="ImagePermissions.CheckListed"/> (<c>mode uid/gid size date time name</c>).
    /// A file name holding a newline adds lines, never hides one, and an added line that does not
    /// read as an entry refuses the image.
    /// </summary>
    public ImageSize AddListed(string line, string hash)
    {
        long length = 0;
        if (line[0] == '-')
        {
            var fields = line.Split(' ', 4, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 4 || !long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out length))
            {
                throw new InvalidDataException($"Image {hash} has an unreadable listing line: {line}");
            }
        }

        return Add(length);
    }

    /// <summary>
    /// Measures a tree on disk without following symlinks, stopping early once it exceeds
    /// <paramref name="options"/>' bounds (the result then only says so).
    /// </summary>
    public static ImageSize Measure(string root, FunctionImageCacheOptions options)
    {
        var size = default(ImageSize).Add(0);
        var pending = new Stack<DirectoryInfo>();
        pending.Push(new DirectoryInfo(root));
        while (pending.Count > 0 && !size.Exceeds(options))
        {
            foreach (var entry in pending.Pop().EnumerateFileSystemInfos())
            {
                if (entry.LinkTarget is null && entry is DirectoryInfo directory)
                {
                    pending.Push(directory);
                }

                size = size.Add(entry.LinkTarget is null && entry is FileInfo file ? file.Length : 0);
            }
        }

        return size;
    }

    private static string Format(long bytes) => bytes >= 1024 * 1024
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MiB ({bytes} bytes)")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes");
}

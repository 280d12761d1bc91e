namespace Faasten.Sandbox.Images;

/// <summary>
/// What an unpacked image may contain and how its files are readable: regular files,
/// directories and symlinks only; everything readable (the sandbox runs as another user),
/// nothing writable by others, no set-id bits.
/// </summary>
internal static class ImagePermissions
{
    public const UnixFileMode Directory = (UnixFileMode)0b111_101_101; // 0755
    private const UnixFileMode Executable = (UnixFileMode)0b111_101_101; // 0755
    private const UnixFileMode Regular = (UnixFileMode)0b110_100_100; // 0644
    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>
    /// Checks a line of an <c>unsquashfs -lln</c> listing before extraction: unsquashfs running as
    /// root would create device nodes, and a FIFO or socket has no business in a function image.
    /// </summary>
    public static void CheckListed(string line, string hash)
    {
        var kind = line[0];
        if (kind is not ('d' or '-' or 'l'))
        {
            var name = line.IndexOf("squashfs-root", StringComparison.Ordinal) is var at and >= 0 ? line[at..] : line;
            throw ImageRefusal.Create($"Image {hash} holds a special file ('{kind}'), which function images may not: {name}");
        }
    }

    /// <summary>Sets every directory to 0755 and every file to 0644 or 0755. Never follows symlinks.</summary>
    public static void Normalize(string root)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException();
        }
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var directory = pending.Pop();
            File.SetUnixFileMode(directory, Directory);
            foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
            {
                if (entry.LinkTarget is not null)
                {
                    continue;
                }
                if (entry is DirectoryInfo)
                {
                    pending.Push(entry.FullName);
                }
                else
                {
                    File.SetUnixFileMode(entry.FullName, (entry.UnixFileMode & AnyExecute) != 0 ? Executable : Regular);
                }
            }
        }
    }
}

namespace Faasten.Hosting;

/// <summary>The embedded deployment's files: SQLite metadata, local blobs, the token signing key.</summary>
internal sealed record DataDirectory(string Root)
{
    public const string Default = "faasten-data";

    public string MetadataFile => Path.Combine(Root, "metadata.db");

    public string BlobRoot => Path.Combine(Root, "blobs");

    /// <summary>
    /// The directory, created readable by its owner only: it holds the whole file system (every
    /// label's data, password hashes, trigger secrets) and the signing key, which no other
    /// local user may read around the monitor. An existing directory keeps its mode.
    /// </summary>
    public static DataDirectory Create(string? root)
    {
        var full = Path.GetFullPath(string.IsNullOrEmpty(root) ? Default : root);
        if (!Directory.Exists(full))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(full);
            }
            else
            {
                Directory.CreateDirectory(full, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        return new DataDirectory(full);
    }
}

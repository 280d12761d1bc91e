namespace Faasten.Hosting;

/// <summary>The embedded deployment's files: SQLite metadata, local blobs, the token signing key.</summary>
internal sealed record DataDirectory(string Root)
{
    public const string Default = "faasten-data";

    public string MetadataFile => Path.Combine(Root, "metadata.db");

    public string BlobRoot => Path.Combine(Root, "blobs");

    public static DataDirectory Create(string? root)
    {
        var full = Path.GetFullPath(string.IsNullOrEmpty(root) ? Default : root);
        Directory.CreateDirectory(full);
        return new DataDirectory(full);
    }
}

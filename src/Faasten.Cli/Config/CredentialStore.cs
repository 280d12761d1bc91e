using System.Text.Json;
using Faasten.Cli.Http;

namespace Faasten.Cli.Config;

/// <summary>
/// Reads and writes <c>credentials</c> in the config directory. The directory is kept at 0700
/// and the file is created at 0600 and atomically renamed into place, so a token is never
/// readable by other users, not even for a moment.
/// </summary>
internal sealed class CredentialStore(string directory)
{
    private const UnixFileMode PrivateDirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public string FilePath { get; } = Path.Combine(directory, "credentials");

    /// <summary>The saved credentials; an empty set when the file is missing or unreadable (a warning explains why).</summary>
    public CredentialsFile Load(TextWriter warnings)
    {
        try
        {
            var bytes = File.ReadAllBytes(FilePath);
            return JsonSerializer.Deserialize(bytes, FstnJsonContext.Default.CredentialsFile) ?? new CredentialsFile();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new CredentialsFile();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            warnings.WriteLine($"fstn: warning: ignoring unreadable credentials file {FilePath}: {e.Message}");
            return new CredentialsFile();
        }
    }

    public void Save(CredentialsFile credentials)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, PrivateDirectoryMode);
            // An existing directory keeps its mode; tighten it, it holds nothing but ours.
            File.SetUnixFileMode(directory, PrivateDirectoryMode);
        }

        var temporary = FilePath + ".tmp-" + Guid.NewGuid().ToString("N");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = PrivateFileMode;
        }
        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                JsonSerializer.Serialize(stream, credentials, FstnJsonContext.Default.CredentialsFile);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, FilePath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}

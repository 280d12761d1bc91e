using Faasten.Cli.Config;

namespace Faasten.Cli.Tests.Support;

/// <summary>A private HOME (and so a private credentials file) and environment for one test.</summary>
internal sealed class TempHome : IDisposable
{
    public TempHome()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"fstn-test-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
        Variables["HOME"] = Path;
    }

    public string Path { get; }

    public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

    public CliEnvironment Environment => CliEnvironment.FromDictionary(Variables);

    public string CredentialsPath => System.IO.Path.Combine(Path, ".config", "fstn", "credentials");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}

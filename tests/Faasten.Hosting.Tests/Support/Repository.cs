namespace Faasten.Hosting.Tests.Support;

/// <summary>The source tree the tests read (project files, docs).</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Faasten.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException($"no Faasten.slnx above {AppContext.BaseDirectory}");
    }
}

namespace Faasten.FunctionalTests.Stack;

/// <summary>Paths in the source tree the tests read (examples) and in the test output (the built executables).</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Example(string name) => Path.Combine(Root, "examples", name);

    /// <summary>An executable built next to the tests (a project reference), run with <c>dotnet</c>.</summary>
    public static string Binary(string assembly) => Path.Combine(AppContext.BaseDirectory, assembly + ".dll");

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

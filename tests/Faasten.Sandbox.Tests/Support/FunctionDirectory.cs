using Faasten.Tests.Common;

namespace Faasten.Sandbox.Tests.Support;

/// <summary>A function image as a directory: workload.py plus optional extra files.</summary>
internal sealed class FunctionDirectory : IDisposable
{
    private readonly TempDirectory _directory = new("faasten-fn");

    public FunctionDirectory(string workload, params (string Name, string Content)[] files)
    {
        File.WriteAllText(_directory.Combine("workload.py"), workload);
        foreach (var (name, content) in files)
        {
            var path = _directory.Combine(name);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }
    }

    public string Path => _directory.Path;

    public void Dispose() => _directory.Dispose();
}

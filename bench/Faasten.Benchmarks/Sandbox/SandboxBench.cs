using System.Text;
using Faasten.Protocol.Invocations;
using Faasten.Sandbox.Bubblewrap;
using Faasten.Sandbox.Vm;

namespace Faasten.Benchmarks.Sandbox;

/// <summary>A bubblewrap backend and function directories for the sandbox benchmarks.</summary>
internal sealed class SandboxBench : IAsyncDisposable
{
    private readonly List<string> _directories = [];

    /// <param name="templates">Fork VMs from templates (the default), or launch each one fresh.</param>
    public SandboxBench(bool templates = true)
    {
        Backend = new(new BubblewrapOptions { StartTimeout = TimeSpan.FromSeconds(60), UseTemplates = templates });
    }

    public BubblewrapBackend Backend { get; }

    /// <summary>A function directory holding <paramref name="workload"/>, readable by the sandbox user.</summary>
    public string Function(string workload)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Sandboxes are bubblewrap on Linux.");
        }
        var directory = Directory.CreateTempSubdirectory("faasten-bench-").FullName;
        File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
        File.WriteAllText(Path.Combine(directory, "workload.py"), workload);
        _directories.Add(directory);
        return directory;
    }

    public static VmInvocation Request(string json) => new(Encoding.UTF8.GetBytes(json), TimeSpan.FromMinutes(5));

    public static void EnsureOk(InvocationOutcome outcome)
    {
        if (outcome.Status != InvocationStatus.Ok)
        {
            throw new InvalidOperationException($"{outcome.Status}: {outcome.Message} {Encoding.UTF8.GetString(outcome.Body.Span)}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Backend.DisposeAsync();
        foreach (var directory in _directories)
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

using Faasten.Sandbox.Bubblewrap;

namespace Faasten.Host.Commands;

/// <summary>What <c>faasten run</c> was asked to do; the command line binds to this record.</summary>
/// <param name="Source">A function directory (holding workload.py) or an image file.</param>
/// <param name="Payload">The event, as JSON text.</param>
internal sealed record RunOptions(string Source, string Payload)
{
    public const string DefaultDataDirectory = "faasten-data";

    /// <summary>The function's privilege; T (no authority) unless given.</summary>
    public string Privilege { get; init; } = "T";

    /// <summary>The starting current label; public unless given.</summary>
    public string? Label { get; init; }

    public string DataDirectory { get; init; } = DefaultDataDirectory;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    public int MemoryMb { get; init; } = 128;

    public BubblewrapOptions Sandbox { get; init; } = new();
}

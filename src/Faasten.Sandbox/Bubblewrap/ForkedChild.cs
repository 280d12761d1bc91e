namespace Faasten.Sandbox.Bubblewrap;

/// <summary>A child a template forked: its runtime's host pid, its channel and its console, both connected.</summary>
internal sealed record ForkedChild(int ProcessId, Stream Channel, Stream Console);

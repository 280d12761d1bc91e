namespace Faasten.Sandbox.Bubblewrap;

/// <summary>
/// A child a template forked: its runtime's host pid, its channel and its console (both
/// connected), and how it ended (its exit code, or null when the template died first), which
/// only the template, its parent, can learn.
/// </summary>
internal sealed record ForkedChild(int ProcessId, Stream Channel, Stream Console, Task<int?> Exit);

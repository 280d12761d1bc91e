using Faasten.Sandbox.Vm;

namespace Faasten.Worker.Execution;

/// <summary>An invocation's time on a VM, for its record: when it began, on which VM, whether that VM was new, and the outcome.</summary>
internal sealed record VmRun(DateTimeOffset Started, string VmId, bool Cold, InvocationOutcome Outcome);

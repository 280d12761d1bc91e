using Faasten.Labels;
using Faasten.Sandbox.Vm;

namespace Faasten.Worker.Execution;

/// <summary>
/// A VM checked out of the pool for one invocation; nobody else holds it until it is
/// returned or destroyed.
/// </summary>
/// <param name="Label">
/// Everything the VM may remember: the final label of its last invocation, or
/// <see cref="Label.Bottom"/> (the identity of ⊔) for a fresh VM that has run nothing.
/// </param>
/// <param name="Fresh">The VM has run nothing: started for this request, or a spare.</param>
/// <param name="Spare">Started ahead of any request, by the pool (<see cref="VmPool.SparesPerLabel"/>).</param>
internal sealed record VmLease(IVm Vm, FunctionKey Key, Label Label, bool Fresh, bool Spare = false)
{
    /// <summary>What the pool does once the lease is returned or destroyed (start the label's next spare).</summary>
    public Action? AfterRun { get; init; }
}

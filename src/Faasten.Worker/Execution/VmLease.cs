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
internal sealed record VmLease(IVm Vm, FunctionKey Key, Label Label, bool Fresh);

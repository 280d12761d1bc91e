using Faasten.Protocol;
using Faasten.Protocol.Invocations;

namespace Faasten.Sandbox.Vm;

/// <summary>
/// One isolated runtime process tree serving invocations of one function, one at a time.
/// Module-level state of the function persists between invocations of the same VM; whether a
/// VM may be reused (and at which label) is the worker's decision. Disposing destroys the VM
/// and everything it started.
/// </summary>
public interface IVm : IAsyncDisposable
{
    /// <summary>Random, unique per VM; safe to log.</summary>
    string Id { get; }

    VmSpec Spec { get; }

    /// <summary>True while the VM is alive and not running an invocation.</summary>
    bool IsIdle { get; }

    /// <summary>
    /// Runs one invocation, serving its CloudCalls with <paramref name="handler"/>. Every outcome
    /// is a value: the VM is destroyed by this call when the status is anything but
    /// <see cref="InvocationStatus.Ok"/> or <see cref="InvocationStatus.FunctionError"/>.
    /// Cancelling <paramref name="cancellationToken"/> destroys the VM and throws.
    /// </summary>
    /// <exception cref="InvalidOperationException">The VM is busy or destroyed.</exception>
    ValueTask<InvocationOutcome> InvokeAsync(
        VmInvocation request,
        ICloudCallHandler handler,
        CancellationToken cancellationToken = default);
}

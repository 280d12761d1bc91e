namespace Faasten.Sandbox.Vm;

/// <summary>How an invocation on a VM ended. Only Ok and FunctionError leave the VM usable.</summary>
public enum InvocationStatus
{
    /// <summary>handle() returned; the body is its JSON result.</summary>
    Ok,

    /// <summary>handle() raised (or the workload failed to load); the body describes the error.</summary>
    FunctionError,

    /// <summary>The wall-clock limit passed; the VM was destroyed.</summary>
    Timeout,

    /// <summary>The VM exceeded its memory limit; it was destroyed.</summary>
    OutOfMemory,

    /// <summary>The runtime process died; the VM was destroyed.</summary>
    Crashed,

    /// <summary>The VM broke the channel protocol (oversized or garbage frames); it was destroyed.</summary>
    ProtocolViolation,
}

using Faasten.Protocol.Invocations;
namespace Faasten.Sandbox.Vm;

/// <summary>A VM could not be brought to the ready state; nothing of it is left running.</summary>
public sealed class VmStartException : Exception
{
    public VmStartException(InvocationStatus status, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Status = status;
    }

    /// <summary>Crashed (the runtime died or broke the protocol), Timeout or OutOfMemory: how the start failed.</summary>
    public InvocationStatus Status { get; }
}

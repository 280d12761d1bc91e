namespace Faasten.Sandbox.Vm;

/// <param name="Payload">The event as UTF-8 JSON; empty means <c>None</c>.</param>
/// <param name="Timeout">Wall-clock limit, CloudCalls included; past it the VM is destroyed.</param>
public sealed record VmInvocation(ReadOnlyMemory<byte> Payload, TimeSpan Timeout)
{
    /// <summary>Bytes of the function's stdout and stderr to keep; 0 keeps none.</summary>
    public int LogLimit { get; init; }
}

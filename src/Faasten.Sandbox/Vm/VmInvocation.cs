namespace Faasten.Sandbox.Vm;

/// <param name="Payload">The event as UTF-8 JSON; empty means <c>None</c>.</param>
/// <param name="Timeout">Wall-clock limit, CloudCalls included; past it the VM is destroyed.</param>
public sealed record VmInvocation(ReadOnlyMemory<byte> Payload, TimeSpan Timeout)
{
    /// <summary>The gate's environment variables, set in the function's <c>os.environ</c> before it runs.</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    /// <summary>Bytes of the function's stdout and stderr to keep; 0 keeps none.</summary>
    public int LogLimit { get; init; }
}

using Faasten.Fs;

namespace Faasten.Worker.Execution;

/// <summary>
/// Which VMs are interchangeable: those of one gate (its identity and version, through any
/// redirects) with its image, runtime and memory limit. VMs are never shared between gates,
/// even over the same image: a VM remembers what its invocations read, and a second gate may
/// have another declassify or privilege (DESIGN §4 step 3). The timeout is per invocation, so
/// it is not part of the key.
/// </summary>
internal readonly record struct FunctionKey(string Gate, string ImageHash, string Runtime, int MemoryMb)
{
    public static FunctionKey Of(ResolvedGate gate) =>
        new(gate.Identity, gate.Function.ImageHash, gate.Function.Runtime, gate.Function.MemoryMb);
}

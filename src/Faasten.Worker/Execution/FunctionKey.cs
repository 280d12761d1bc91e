using Faasten.Fs.Objects;

namespace Faasten.Worker.Execution;

/// <summary>
/// What makes two VMs interchangeable: the same image, runtime and memory limit. The timeout is
/// per invocation and the gate's policy is per request, so neither is part of the key.
/// </summary>
internal readonly record struct FunctionKey(string ImageHash, string Runtime, int MemoryMb)
{
    public static FunctionKey Of(FunctionSpec function) => new(function.ImageHash, function.Runtime, function.MemoryMb);
}

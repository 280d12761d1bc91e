namespace Faasten.Sandbox.Bubblewrap;

/// <summary>What VMs forked from one template share: the image (its key and where it is), the runtime and the memory limit.</summary>
internal readonly record struct TemplateKey(string ImageKey, string ImageDirectory, string Runtime, int MemoryMb)
{
    public static TemplateKey Of(Vm.VmSpec spec) => new(spec.TemplateKey, spec.ImageDirectory, spec.Runtime, spec.MemoryMb);
}

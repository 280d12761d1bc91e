namespace Faasten.Sandbox.Vm;

/// <summary>What a VM runs and within which limits.</summary>
/// <param name="ImageDirectory">
/// Host directory holding the function (<c>workload.py</c> and what it ships), mounted
/// read-only at <c>/srv</c>: an unpacked image from <see cref="Images.FunctionImageCache"/> or,
/// for local development, a source directory. It and its parents must be readable by the
/// sandbox user.
/// </param>
/// <param name="MemoryMb">Memory limit of the whole VM (processes and <c>/tmp</c>), from the gate.</param>
public sealed record VmSpec(string ImageDirectory, int MemoryMb = 128)
{
    /// <summary>Runtime name from the gate. Only "python3" exists.</summary>
    public string Runtime { get; init; } = "python3";

    /// <summary>
    /// Identifies the image for a template-forking backend (e.g. the image's blob hash). VMs with
    /// equal keys, runtime and memory may be forked from one template. Defaults to the directory.
    /// </summary>
    public string TemplateKey { get; init; } = ImageDirectory;
}

using Faasten.Kernel;
using Faasten.Protocol;
using Faasten.Sandbox.Images;
using Faasten.Sandbox.Vm;

namespace Faasten.Worker.Execution;

/// <summary>A VM that lets go of its image once it is destroyed.</summary>
internal sealed class LeasedVm(IVm vm, FunctionImageLease image) : IVm
{
    public string Id => vm.Id;

    public VmSpec Spec => vm.Spec;

    public bool IsIdle => vm.IsIdle;

    public ValueTask<InvocationOutcome> InvokeAsync(VmInvocation request, ICloudCallHandler handler, CancellationToken cancellationToken = default) =>
        vm.InvokeAsync(request, handler, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await vm.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            image.Dispose();
        }
    }
}

namespace Faasten.Sandbox.Vm;

/// <summary>
/// Makes VMs: isolated runtimes, each running one function image, reachable only through its
/// CloudCall channel. The default backend is bubblewrap; a KVM microVM backend can implement
/// the same interface.
/// </summary>
/// <remarks>
/// <para><b>Template-fork seam.</b> <see cref="StartAsync"/> is the only way to obtain a VM,
/// and it returns a VM that is already <i>ready</i>: runtime loaded, workload imported, no
/// invocation run yet (the guest's Hello marks that point). A backend is therefore free to
/// produce that state by forking a pre-initialized template instead of booting: keep, per
/// <see cref="VmSpec.TemplateKey"/>, a parked guest that has loaded the runtime and imported
/// the workload but not yet said Hello; on StartAsync, ask it to fork, have the child enter
/// fresh mount/PID namespaces (a private /tmp), move it into its own cgroup, hand it a new
/// channel socket (SCM_RIGHTS over the template's socket) and let it say Hello. Callers do
/// not change. This is the planned cold-start path (SnapFaaS snapshots without a hypervisor).</para>
/// <para>Start failures caused by the function (its image crashes or hangs while loading) throw
/// <see cref="VmStartException"/>; everything after start is reported as an
/// <see cref="InvocationOutcome"/>.</para>
/// </remarks>
public interface IVmBackend
{
    ValueTask<IVm> StartAsync(VmSpec spec, CancellationToken cancellationToken = default);

    /// <summary>
    /// Does ahead of time what the first <see cref="StartAsync"/> of <paramref name="spec"/> would
    /// (a template backend builds the template), so that start is already fast. Never runs
    /// anything of an invocation; a backend with nothing to prepare returns at once.
    /// </summary>
    ValueTask PrepareAsync(VmSpec spec, CancellationToken cancellationToken = default);
}

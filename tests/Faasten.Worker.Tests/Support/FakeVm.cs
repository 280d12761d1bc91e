using Faasten.Kernel;
using Faasten.Protocol;
using Faasten.Protocol.Invocations;
using Faasten.Sandbox.Vm;

namespace Faasten.Worker.Tests.Support;

/// <summary>
/// A VM without a sandbox: runs the backend's behavior in-process. <see cref="Globals"/> plays
/// the function's module-level state, which survives between invocations of the same VM.
/// </summary>
internal sealed class FakeVm(string id, VmSpec spec, FakeVmBackend backend) : IVm
{
    private int _busy;
    private volatile bool _destroyed;

    public string Id { get; } = id;

    public VmSpec Spec { get; } = spec;

    public bool IsIdle => !_destroyed && Volatile.Read(ref _busy) == 0;

    public bool Destroyed => _destroyed;

    public Dictionary<string, string> Globals { get; } = [];

    public int Invocations { get; private set; }

    /// <summary>Dies as the next invocation begins, before anything runs (a VM killed while idle, noticed late).</summary>
    public bool DieOnNextInvoke { get; set; }

    public async ValueTask<InvocationOutcome> InvokeAsync(VmInvocation request, ICloudCallHandler handler, CancellationToken cancellationToken = default)
    {
        if (DieOnNextInvoke)
        {
            _destroyed = true;
        }

        if (_destroyed)
        {
            throw new InvalidOperationException("destroyed");
        }

        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            backend.RecordOverlap();
            throw new InvalidOperationException("two invocations on one VM");
        }

        try
        {
            Invocations++;
            var outcome = await backend.Behavior(this, request, handler, cancellationToken);
            if (outcome.Status is not (InvocationStatus.Ok or InvocationStatus.FunctionError))
            {
                _destroyed = true;
            }

            return outcome;
        }
        catch (OperationCanceledException)
        {
            _destroyed = true;
            throw;
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>Dies while idle, as if its process were killed.</summary>
    public void Kill() => _destroyed = true;

    public ValueTask DisposeAsync()
    {
        _destroyed = true;
        backend.RecordDisposed(this);
        return ValueTask.CompletedTask;
    }
}

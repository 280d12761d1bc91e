using Faasten.Fs;
using Faasten.Fs.Records;
using Faasten.Kernel;
using Faasten.Labels;
using Faasten.Protocol.Invocations;
using Faasten.Sandbox.Images;
using Faasten.Sandbox.Vm;
using Faasten.Worker.Logging;
using Microsoft.Extensions.Logging;

namespace Faasten.Worker.Execution;

/// <summary>
/// The label-aware worker: runs one invocation request through DESIGN §4 steps 1–6, sync or
/// not (waiting is the scheduler's business). The scheduler hands it requests without looking
/// at them; authorization happens here, against the gate. <paramref name="calls"/> is where the
/// functions' own <c>invoke</c> CloudCalls go: the scheduler that runs this worker.
/// </summary>
/// <remarks>
/// The gate path is resolved with the <i>invoker's</i> privilege: <c>~</c> names the invoker's
/// home (<c>~:app</c> from alice is alice's app), and the gate's own privilege is not known
/// until its gate has been found. Resolution only reads and taints; privilege is consulted
/// for nothing but the <c>~</c> expansion, so this grants the invoker nothing.
/// </remarks>
internal sealed class FunctionWorker(
    FileSystem fileSystem,
    VmPool pool,
    IFunctionImages images,
    IInvoker calls,
    HttpClient http,
    CloudCallKernelOptions kernelOptions,
    InvocationObserver observer,
    CloudCallKinds? cloudCallKinds,
    ILogger<FunctionWorker> logger,
    TimeProvider time) : IInvoker
{
    public async ValueTask<InvocationReply> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        var trail = observer.NewTrail();
        var reply = await InvokeCoreAsync(request, trail, cancellationToken).ConfigureAwait(false);
        if (reply.Run is null)
        {
            // Refused before any VM: the record carries what the refusal depends on.
            observer.Finished(request, reply.Reply.Status, reply.HighWater, trail, null);
        }

        return reply.Reply;
    }

    /// <summary>A reply, the highest label its invocation held, and its run on a VM (recorded by <see cref="ExecuteAsync"/>) if any.</summary>
    private readonly record struct Answer(InvocationReply Reply, Label HighWater, VmRun? Run = null);

    private async ValueTask<Answer> InvokeCoreAsync(InvocationRequest request, TaintTrail? trail, CancellationToken cancellationToken)
    {
        var invokerPrivilege = request.InvokerPrivilege;

        // 1. L = public ⊔ payload label (so integrity starts at T: nobody vouches for an input
        // until the function endorses it); traversing the gate path taints L.
        var start = Label.Public.Lub(request.PayloadLabel);
        if (trail is not null && !start.Equals(Label.Public))
        {
            trail.Begin("payload label");
            trail.Raised(start);
        }

        trail?.Begin("gate", request.GatePath);
        var resolving = new SecurityContext(invokerPrivilege, start, trail);
        FsResult<ResolvedGate> resolved;
        try
        {
            resolved = await fileSystem.ResolveGateAsync(resolving, request.GatePath, cancellationToken).ConfigureAwait(false);
        }
        catch (LabelTooLargeException e)
        {
            // The label learned so far stays (the failure depends on it); the refusal carries it.
            logger.InvocationRefused(request.Id, request.GatePath, InvocationStatus.BadRequest);
            return new(WorkerReplies.Make(request, InvocationStatus.BadRequest, e.Message, resolving.Label), resolving.Label);
        }

        var label = resolving.Label;
        if (!resolved.IsOk)
        {
            var refusal = WorkerReplies.Unresolved(request, resolved.WithoutValue(), label);
            logger.InvocationRefused(request.Id, request.GatePath, refusal.Status);
            return new(refusal, label);
        }

        var gate = resolved.Value!;

        // 2. Authorize. The refusal depends on the gate, so it carries L; the gate's declassify
        // is authority granted to the function, not to an invoker it refused.
        if (!invokerPrivilege.Implies(gate.Clearance))
        {
            logger.InvocationForbidden(request.Id, request.GatePath, invokerPrivilege, gate.Clearance);
            return new(WorkerReplies.Make(request, InvocationStatus.Forbidden, $"privilege {invokerPrivilege} does not imply the gate's clearance {gate.Clearance}", label), label);
        }

        var key = FunctionKey.Of(gate);
        if (!pool.Fits(key.MemoryMb))
        {
            logger.FunctionTooLarge(request.Id, request.GatePath, key.MemoryMb, pool.BudgetMb);
            return new(WorkerReplies.Make(request, InvocationStatus.OutOfMemory, $"the function's memory limit ({key.MemoryMb} MB) exceeds this worker's budget ({pool.BudgetMb} MB)", label), label);
        }

        // An idle VM can die between the pool's liveness check and the call (killed while idle);
        // nothing ran on it, so one more attempt on another VM is safe.
        for (var attempt = 0; ; attempt++)
        {
            if (await ExecuteAsync(request, gate, key, label, trail, retryDeadVm: attempt == 0, cancellationToken).ConfigureAwait(false) is { } answer)
            {
                return answer;
            }
        }
    }

    /// <summary>Steps 3–6 on one VM; null when a reused VM turned out dead before anything ran.</summary>
    private async ValueTask<Answer?> ExecuteAsync(InvocationRequest request, ResolvedGate gate, FunctionKey key, Label label, TaintTrail? trail, bool retryDeadVm, CancellationToken cancellationToken)
    {
        // 3. An idle VM of this gate tagged exactly L, else a fresh one (its lease label is ⊥), so
        // L ⊔ VM label is L: the pool hands out nothing that L may not already know.
        VmLease lease;
        var acquiring = time.GetTimestamp();
        try
        {
            lease = await pool.AcquireAsync(key, label, nested: request.Depth > 0, ct => SpecAsync(gate.Function, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (VmStartException e)
        {
            logger.VmStartFailed(request.Id, key.ImageHash, e.Status);
            return new(WorkerReplies.Make(request, e.Status, e.Message, label.Downgrade(gate.Declassify)), label);
        }
        catch (FileNotFoundException)
        {
            logger.InvocationRefused(request.Id, request.GatePath, InvocationStatus.Internal);
            return new(WorkerReplies.Make(request, InvocationStatus.Internal, $"the gate's image {key.ImageHash} is missing", label), label);
        }
        catch (InvalidDataException e) when (ImageRefusal.IsRefusal(e))
        {
            // The image broke a rule of the image cache (its size, its entries): the reason names
            // the hash and the bound only.
            logger.VmStartFailed(request.Id, key.ImageHash, InvocationStatus.Crashed);
            return new(WorkerReplies.Make(request, InvocationStatus.Crashed, e.Message, label), label);
        }
        catch (InvalidDataException)
        {
            // The gate names a blob that is no function image (the gateway refuses such gates, a
            // function's fs_creategate does not look): the function cannot load, as if it crashed.
            // The extractor's text names host paths, so the caller gets a fixed line.
            logger.VmStartFailed(request.Id, key.ImageHash, InvocationStatus.Crashed);
            return new(WorkerReplies.Make(request, InvocationStatus.Crashed, "the gate's image is not a function image (a SquashFS image made by 'fstn build')", label), label);
        }

        if (lease.Fresh)
        {
            observer.ColdStart(time.GetElapsedTime(acquiring));
        }

        label = label.Lub(lease.Label);

        // 4. Run with the gate's privilege from L, serving the function's CloudCalls.
        var context = new SecurityContext(gate.Privilege, label, trail);
        var startedAt = time.GetUtcNow();
        var started = time.GetTimestamp();
        InvocationOutcome outcome;
        try
        {
            await using var kernel = new CloudCallKernel(fileSystem, context, calls, http, kernelOptions, request.Depth, cloudCallKinds);
            var invocation = new VmInvocation(request.Payload, TimeSpan.FromMilliseconds(gate.Function.TimeoutMs)) { Env = gate.Function.Env, LogLimit = observer.LogLimit };
            outcome = await lease.Vm.InvokeAsync(invocation, kernel, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException) when (retryDeadVm && (!lease.Fresh || lease.Spare) && !lease.Vm.IsIdle)
        {
            await pool.DestroyAsync(lease).ConfigureAwait(false);
            return null;
        }
        catch
        {
            await pool.DestroyAsync(lease).ConfigureAwait(false);
            throw;
        }

        // 5. The VM remembers everything the run saw: it goes back tagged with the highest label
        // the run held. A declassify or endorse CloudCall lowered the computation's label, not
        // what the VM's memory holds; tagging with the lowered label would let a later request
        // at that label read the rest through module-level state.
        var final = context.Label;
        logger.InvocationFinished(request.Id, request.GatePath, request.Depth, outcome.Status, lease.Vm.Id, time.GetElapsedTime(started).TotalMilliseconds, final);
        if (WorkerReplies.KeepsVm(outcome.Status))
        {
            await pool.ReturnAsync(lease, context.HighWater).ConfigureAwait(false);
        }
        else
        {
            logger.VmDestroyed(lease.Vm.Id, key.ImageHash, outcome.Status);
            await pool.DestroyAsync(lease).ConfigureAwait(false);
        }

        // Logs and trail are kept under the highest label, not the declassified one: they are
        // not the gate's output, so its declassify component does not apply to them.
        var run = new VmRun(startedAt, lease.Vm.Id, lease.Fresh, outcome);
        observer.Finished(request, outcome.Status, context.HighWater, trail, run);

        // 6. The reply may shed only what the gate's declassify component allows.
        return new(WorkerReplies.Completed(request, outcome, final.Downgrade(gate.Declassify)), context.HighWater, run);
    }

    private async ValueTask<VmSpec> SpecAsync(Fs.Objects.FunctionSpec function, CancellationToken ct)
    {
        var directory = await images.GetDirectoryAsync(function.ImageHash, ct).ConfigureAwait(false);
        return FunctionPreparer.SpecOf(function, directory);
    }
}

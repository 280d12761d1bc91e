using Faasten.Fs.Paths;
using Faasten.Fs.Records;
using Faasten.Labels;
using Faasten.Protocol.Invocations;
using Faasten.Worker.Logging;
using Faasten.Worker.Metrics;
using Microsoft.Extensions.Logging;

namespace Faasten.Worker.Execution;

/// <summary>
/// What the worker tells about each finished invocation: its record (with logs and trail) for
/// the store, its metrics, and one server log line (id, status, duration, cold or warm; never
/// payload, result or output).
/// </summary>
internal sealed class InvocationObserver(InvocationRecords? records, WorkerMetrics? metrics, string workerName, TimeProvider time, ILogger logger)
{
    /// <summary>Bytes of output the VM keeps per invocation: none when nobody records them.</summary>
    public int LogLimit => records?.Options.MaxLogBytes ?? 0;

    /// <summary>A trail for a new invocation; null (no cost) when nobody records it.</summary>
    public TaintTrail? NewTrail() => records is null ? null : new TaintTrail();

    public void ColdStart(TimeSpan elapsed) => metrics?.ColdStart(elapsed);

    /// <param name="highWater">The highest label the invocation held (before the gate's declassification).</param>
    /// <param name="run">Its time on a VM; null when it never ran.</param>
    public void Finished(InvocationRequest request, InvocationStatus status, Label highWater, TaintTrail? trail, VmRun? run)
    {
        var finished = time.GetUtcNow();
        var queued = request.Queued ?? run?.Started ?? finished;
        var ran = run is null ? TimeSpan.Zero : finished - run.Started;
        logger.InvocationCompleted(request.Id, InvocationStatusNames.Of(status), ran.TotalMilliseconds, run is null ? "none" : run.Cold ? "cold" : "warm");
        if (metrics is not null)
        {
            metrics.Finished(status);
            metrics.QueueWait((run?.Started ?? finished) - queued);
            if (run is not null)
            {
                metrics.RunTime(run.Outcome.Elapsed);
            }
        }

        if (records is null)
        {
            return;
        }

        var record = new InvocationRecord(
            request.Id,
            FsPath.Canonical(request.GatePath, request.InvokerPrivilege),
            InvocationStatusNames.Of(status),
            queued,
            run?.Started,
            finished,
            run?.Cold ?? false,
            run?.VmId,
            workerName,
            RecordLabel(highWater, request.InvokerPrivilege))
        {
            Trail = trail?.Steps.ToArray() ?? [],
            Logs = run?.Outcome.Logs ?? "",
            LogsTruncated = run?.Outcome.LogsTruncated ?? false,
        };
        if (!records.Add(record))
        {
            metrics?.RecordDropped();
        }
    }

    /// <summary>
    /// The run's label with the invoker joined to its secrecy: that the invoker invoked, and
    /// when, is the invoker's to see (a listing would otherwise show alice's public calls to anyone).
    /// </summary>
    private static Label RecordLabel(Label highWater, Component invoker)
    {
        try
        {
            return highWater.Lub(new Label(invoker, Component.True));
        }
        catch (LabelTooLargeException)
        {
            return Label.Top;
        }
    }
}

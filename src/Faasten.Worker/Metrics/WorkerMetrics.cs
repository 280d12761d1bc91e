using System.Diagnostics.Metrics;
using Faasten.Kernel;
using Faasten.Protocol.Invocations;

namespace Faasten.Worker.Metrics;

/// <summary>
/// The worker's meters (OpenTelemetry instruments on <see cref="MeterName"/>). Tags are fixed
/// vocabularies only — a status name, a VM state, a CloudCall kind — never a path, a gate, a
/// label, a user or an id, so the operator endpoint shows nothing a label protects.
/// </summary>
public sealed class WorkerMetrics : IDisposable
{
    public const string MeterName = "Faasten.Worker";

    private static readonly Dictionary<InvocationStatus, KeyValuePair<string, object?>> StatusTags = Enum.GetValues<InvocationStatus>()
        .ToDictionary(s => s, s => new KeyValuePair<string, object?>("status", InvocationStatusNames.Of(s)));

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _invocations;
    private readonly Histogram<double> _queueWait;
    private readonly Histogram<double> _coldStart;
    private readonly Histogram<double> _runTime;
    private readonly Counter<long> _recordsDropped;

    public WorkerMetrics()
    {
        _invocations = _meter.CreateCounter<long>("faasten.invocations", "{invocation}", "Invocations finished, by status");
        _queueWait = _meter.CreateHistogram<double>("faasten.invocation.queue_wait", "s", "Time from queued to the worker starting it");
        _coldStart = _meter.CreateHistogram<double>("faasten.invocation.cold_start", "s", "Time to get a new VM ready for an invocation that found no idle one");
        _runTime = _meter.CreateHistogram<double>("faasten.invocation.run_time", "s", "Time the function ran on its VM");
        _recordsDropped = _meter.CreateCounter<long>("faasten.records.dropped", "{record}", "Invocation records dropped because too many were waiting to be stored");
        CloudCalls = new CloudCallKinds(_meter.CreateCounter<long>("faasten.cloudcalls", "{call}", "CloudCalls served, by kind"));
    }

    public CloudCallKinds CloudCalls { get; }

    /// <summary>Observes values only the host can read (VMs idle and busy, queue depth, ...), on this meter.</summary>
    public void Observe(string name, string unit, string description, Func<IEnumerable<Measurement<long>>> observe) =>
        _meter.CreateObservableGauge(name, observe, unit, description);

    internal void Finished(InvocationStatus status) => _invocations.Add(1, StatusTags[status]);

    internal void QueueWait(TimeSpan wait) => _queueWait.Record(Math.Max(0, wait.TotalSeconds));

    internal void ColdStart(TimeSpan start) => _coldStart.Record(start.TotalSeconds);

    internal void RunTime(TimeSpan run) => _runTime.Record(run.TotalSeconds);

    internal void RecordDropped() => _recordsDropped.Add(1);

    public void Dispose() => _meter.Dispose();
}

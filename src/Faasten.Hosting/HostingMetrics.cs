using System.Diagnostics.Metrics;
using Faasten.Sandbox.Bubblewrap;

namespace Faasten.Hosting;

/// <summary>What only the composition root can see: the sandbox's templates.</summary>
internal sealed class HostingMetrics : IDisposable
{
    public const string MeterName = "Faasten.Hosting";

    private readonly Meter _meter = new(MeterName);

    public HostingMetrics(BubblewrapBackend? backend)
    {
        if (backend is not null)
        {
            _meter.CreateObservableGauge("faasten.templates", () => (long)backend.Templates, "{template}", "VM templates alive");
        }
    }

    public void Dispose() => _meter.Dispose();
}

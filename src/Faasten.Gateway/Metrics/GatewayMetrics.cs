using System.Diagnostics.Metrics;

namespace Faasten.Gateway.Metrics;

/// <summary>
/// The gateway's meters: HTTP requests by status code and their duration. The status code is
/// the only tag; a route, path, method, user or label never is (a path names data).
/// </summary>
public sealed class GatewayMetrics : IDisposable
{
    public const string MeterName = "Faasten.Gateway";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;

    public GatewayMetrics()
    {
        _requests = _meter.CreateCounter<long>("faasten.http.requests", "{request}", "HTTP requests answered, by status code");
        _duration = _meter.CreateHistogram<double>("faasten.http.request.duration", "s", "Time to answer an HTTP request");
    }

    internal void Answered(int statusCode, TimeSpan elapsed)
    {
        var tag = new KeyValuePair<string, object?>("code", statusCode);
        _requests.Add(1, tag);
        _duration.Record(elapsed.TotalSeconds, tag);
    }

    public void Dispose() => _meter.Dispose();
}

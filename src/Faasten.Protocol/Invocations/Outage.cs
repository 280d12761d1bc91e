namespace Faasten.Protocol.Invocations;

/// <summary>
/// Whether a failure is a backing service being unreachable (the database's error, the queue's,
/// or the transport failure of an HTTP store: S3's client wraps it), anywhere in the chain: a
/// failure to retry, answered 503, never an invocation's outcome.
/// </summary>
public static class Outage
{
    public static bool Is(Exception? error) => error switch
    {
        System.Data.Common.DbException or QueueUnavailableException or System.Net.Http.HttpRequestException or System.Net.Sockets.SocketException => true,
        { InnerException: { } inner } => Is(inner),
        _ => false,
    };
}

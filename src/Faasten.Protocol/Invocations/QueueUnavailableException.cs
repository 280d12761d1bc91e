namespace Faasten.Protocol.Invocations;

/// <summary>
/// The invocation queue cannot be reached (its server is down or restarting). Not an outcome of
/// the invocation: the request was not queued, and the gateway answers 503 so the client retries.
/// </summary>
public sealed class QueueUnavailableException : Exception
{
    public QueueUnavailableException()
        : base("the invocation queue is unreachable")
    {
    }

    public QueueUnavailableException(string message)
        : base(message)
    {
    }

    public QueueUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

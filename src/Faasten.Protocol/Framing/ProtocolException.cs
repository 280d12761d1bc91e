namespace Faasten.Protocol.Framing;

/// <summary>
/// The peer broke the channel protocol. The channel is unusable afterwards: the owner tears the
/// peer down (for a VM: destroys it) rather than trying to resynchronize.
/// </summary>
internal sealed class ProtocolException : Exception
{
    public ProtocolException(ProtocolError error, string message)
        : base(message)
    {
        Error = error;
    }

    public ProtocolException(ProtocolError error, string message, Exception innerException)
        : base(message, innerException)
    {
        Error = error;
    }

    public ProtocolError Error { get; }
}

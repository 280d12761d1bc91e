namespace Faasten.Protocol.Framing;

/// <summary>How a peer broke the channel protocol.</summary>
internal enum ProtocolError
{
    /// <summary>A length prefix above the frame limit.</summary>
    FrameTooLarge,

    /// <summary>The stream ended inside a frame.</summary>
    Truncated,

    /// <summary>A frame body that is not a valid protobuf message of the expected type.</summary>
    Malformed,

    /// <summary>A well-formed message that is not allowed at this point of the conversation.</summary>
    UnexpectedMessage,

    /// <summary>A Hello announcing a protocol version this side does not speak.</summary>
    UnsupportedVersion,
}

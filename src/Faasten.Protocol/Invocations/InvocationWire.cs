using Faasten.Protocol.Labels;
using Faasten.Protocol.V1;
using Google.Protobuf;
using Label = Faasten.Labels.Label;

namespace Faasten.Protocol.Invocations;

/// <summary>
/// The one mapping between the invocation contract and its protobuf messages
/// (proto/faasten/v1/invoke.proto), for requests and replies that leave a process.
/// </summary>
public static class InvocationWire
{
    public static InvokeRequest ToProto(this InvocationRequest request) => new()
    {
        Id = request.Id,
        InvokerPrivilege = request.InvokerPrivilege.ToProto(),
        GatePath = request.GatePath,
        Payload = ByteString.CopyFrom(request.Payload.Span),
        PayloadLabel = request.PayloadLabel.ToProto(),
        Sync = request.Sync,
        Depth = (uint)request.Depth,
        QueuedUnixMs = request.Queued?.ToUnixTimeMilliseconds() ?? 0,
    };

    /// <summary>
    /// Decodes a request from the wire. Its <see cref="InvocationRequest.Depth"/> is what the
    /// sender claims: a receiver that runs sync requests with a depth in a lent slot (as the
    /// in-process scheduler does for its own kernels' calls) must know the sender holds one.
    /// </summary>
    /// <exception cref="LabelMessageException">A label or privilege is missing or not a Buckle value within the limits.</exception>
    public static InvocationRequest FromProto(this InvokeRequest message) => new()
    {
        Id = message.Id,
        InvokerPrivilege = (message.InvokerPrivilege ?? throw new LabelMessageException("invoker_privilege", "missing")).FromProto(),
        GatePath = message.GatePath,
        Payload = message.Payload.Memory,
        PayloadLabel = (message.PayloadLabel ?? throw new LabelMessageException("payload_label", "missing")).FromProto(),
        Sync = message.Sync,
        Depth = message.Depth > int.MaxValue ? int.MaxValue : (int)message.Depth,
        Queued = message.QueuedUnixMs is > 0 and < 253402300800000 ? DateTimeOffset.FromUnixTimeMilliseconds(message.QueuedUnixMs) : null,
    };

    public static InvokeReply ToProto(this InvocationReply reply) => new()
    {
        Id = reply.Id,
        Status = (InvokeStatus)reply.Status,
        Body = ByteString.CopyFrom(reply.Body.Span),
        Label = reply.Label.ToProto(),
    };

    /// <summary>
    /// Decodes a reply. A missing or malformed label reads as <see cref="Label.Top"/>, so a broken
    /// sender fails closed; an unknown status reads as Internal.
    /// </summary>
    public static InvocationReply FromProto(this InvokeReply message)
    {
        Label label;
        try
        {
            label = message.Label?.FromProto() ?? Label.Top;
        }
        catch (LabelMessageException)
        {
            label = Label.Top;
        }

        var status = Enum.IsDefined((InvocationStatus)message.Status) ? (InvocationStatus)message.Status : InvocationStatus.Internal;
        return new InvocationReply(message.Id, status, message.Body.Memory, label);
    }
}

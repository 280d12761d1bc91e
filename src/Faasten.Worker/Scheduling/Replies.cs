using System.Text;
using Faasten.Protocol.V1;
using Google.Protobuf;

namespace Faasten.Worker.Scheduling;

/// <summary>Replies the scheduler makes itself. They carry no data of any computation, so they are public.</summary>
internal static class Replies
{
    public static InvokeReply Status(string id, InvokeStatus status, string message) => new()
    {
        Id = id,
        Status = status,
        Body = ByteString.CopyFrom(Encoding.UTF8.GetBytes(message)),
        Label = PublicLabel.Value,
    };

    private static class PublicLabel
    {
        public static readonly Protocol.V1.Label Value = new()
        {
            Secrecy = new Component(),
            Integrity = new Component(),
        };
    }
}

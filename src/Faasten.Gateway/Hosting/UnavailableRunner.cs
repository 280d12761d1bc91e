using System.Text;
using Faasten.Protocol.V1;
using Faasten.Worker.Scheduling;
using Google.Protobuf;

namespace Faasten.Gateway.Hosting;

/// <summary>Placeholder until the worker is wired in: every invocation answers Internal, publicly labeled.</summary>
internal sealed class UnavailableRunner : IInvocationRunner
{
    public ValueTask<InvokeReply> RunAsync(InvokeRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new InvokeReply
        {
            Id = request.Id,
            Status = InvokeStatus.Internal,
            Body = ByteString.CopyFrom("no worker is configured in this build", Encoding.UTF8),
            Label = new Protocol.V1.Label { Secrecy = new Component(), Integrity = new Component() },
        });
}

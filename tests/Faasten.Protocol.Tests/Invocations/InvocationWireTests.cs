using Faasten.Labels;
using Faasten.Protocol.Invocations;
using Faasten.Protocol.Labels;
using Faasten.Protocol.V1;
using Google.Protobuf;
using Component = Faasten.Labels.Component;
using Label = Faasten.Labels.Label;

namespace Faasten.Protocol.Tests.Invocations;

/// <summary>The one mapping between the invocation contract and faasten.v1.Invoke* on the wire.</summary>
public sealed class InvocationWireTests
{
    private static readonly InvocationRequest Request = new()
    {
        Id = "abc",
        InvokerPrivilege = Component.Parse("alice/pma"),
        GatePath = "home:<T,bob>:app",
        Payload = "{\"x\":1}"u8.ToArray(),
        PayloadLabel = Label.Parse("alice,T"),
        Sync = false,
        Depth = 3,
    };

    [Fact]
    public void Request_RoundTripsThroughItsMessageBytes()
    {
        var bytes = Request.ToProto().ToByteArray();

        var decoded = InvokeRequest.Parser.ParseFrom(bytes).FromProto();

        Assert.Equal(Request.Id, decoded.Id);
        Assert.Equal(Request.InvokerPrivilege, decoded.InvokerPrivilege);
        Assert.Equal(Request.GatePath, decoded.GatePath);
        Assert.Equal(Request.Payload.ToArray(), decoded.Payload.ToArray());
        Assert.Equal(Request.PayloadLabel, decoded.PayloadLabel);
        Assert.Equal((false, 3), (decoded.Sync, decoded.Depth));
    }

    [Fact]
    public void Request_WithoutPrivilegeOrLabel_IsRefused()
    {
        var noPrivilege = Request.ToProto();
        noPrivilege.InvokerPrivilege = null;
        var noLabel = Request.ToProto();
        noLabel.PayloadLabel = null;

        Assert.Contains("invoker_privilege", Assert.Throws<LabelMessageException>(() => noPrivilege.FromProto()).Message, StringComparison.Ordinal);
        Assert.Contains("payload_label", Assert.Throws<LabelMessageException>(() => noLabel.FromProto()).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(InvocationStatus.Ok)]
    [InlineData(InvocationStatus.Crashed)]
    [InlineData(InvocationStatus.Pending)]
    public void Reply_RoundTripsWithTheSameStatusNumbers(InvocationStatus status)
    {
        var reply = new InvocationReply("abc", status, "body"u8.ToArray(), Label.Parse("alice,bob"));

        var message = InvokeReply.Parser.ParseFrom(reply.ToProto().ToByteArray());
        var decoded = message.FromProto();

        Assert.Equal((int)status, (int)message.Status);
        Assert.Equal((reply.Id, reply.Status, reply.Label, "body"), (decoded.Id, decoded.Status, decoded.Label, decoded.BodyText));
    }

    [Fact]
    public void Reply_WithAMissingOrMalformedLabel_ReadsAsTopSecret()
    {
        var missing = new InvokeReply { Id = "a", Status = InvokeStatus.Ok, Body = ByteString.CopyFromUtf8("secret") };
        var malformed = new InvokeReply
        {
            Id = "b",
            Status = InvokeStatus.Ok,
            Label = new Protocol.V1.Label { Secrecy = new Protocol.V1.Component { IsFalse = true, Clauses = { new Protocol.V1.Clause() } } },
        };

        Assert.Equal(Label.Top, missing.FromProto().Label);
        Assert.Equal(Label.Top, malformed.FromProto().Label);
    }

    [Fact]
    public void Reply_WithAnUnknownStatus_ReadsAsInternal()
    {
        var reply = new InvokeReply { Id = "a", Status = (InvokeStatus)99, Label = Label.Public.ToProto() };

        Assert.Equal(InvocationStatus.Internal, reply.FromProto().Status);
    }
}

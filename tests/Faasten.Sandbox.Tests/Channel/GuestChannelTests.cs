using Faasten.Protocol;
using Faasten.Protocol.Framing;
using Faasten.Protocol.V1;
using Faasten.Sandbox.Channel;
using Faasten.Sandbox.Tests.Support;

namespace Faasten.Sandbox.Tests.Channel;

/// <summary>Protocol edge cases of the host end, against an in-process fake guest (no VM).</summary>
public sealed class GuestChannelTests
{
    private sealed class ThrowingHandler(Exception exception) : ICloudCallHandler
    {
        public ValueTask<CloudCallResponse> HandleAsync(CloudCallRequest request, CancellationToken cancellationToken) =>
            throw exception;
    }

    private sealed class EmptyHandler : ICloudCallHandler
    {
        public ValueTask<CloudCallResponse> HandleAsync(CloudCallRequest request, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new CloudCallResponse());
    }

    /// <summary>A kernel call that takes long: it never completes on its own, and may or may not watch the token.</summary>
    private sealed class StuckHandler(bool observesToken) : ICloudCallHandler
    {
        private readonly TaskCompletionSource<CloudCallResponse> _never = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationToken Token { get; private set; }

        public async ValueTask<CloudCallResponse> HandleAsync(CloudCallRequest request, CancellationToken cancellationToken)
        {
            Token = cancellationToken;
            Started.TrySetResult();
            return observesToken ? await _never.Task.WaitAsync(cancellationToken) : await _never.Task;
        }
    }

    private static async Task<(FakeGuest Guest, GuestChannel Channel)> ConnectedAsync()
    {
        var guest = await FakeGuest.ConnectAsync();
        var channel = new GuestChannel(guest.HostStream);
        await guest.SendAsync(FakeGuest.Hello());
        Assert.NotNull(await channel.ReadHelloAsync(CancellationToken.None));
        return (guest, channel);
    }

    [Fact]
    public async Task ReadHelloAsync_OtherVersion_ThrowsUnsupportedVersion()
    {
        await using var guest = await FakeGuest.ConnectAsync();
        var channel = new GuestChannel(guest.HostStream);
        await guest.SendAsync(FakeGuest.Hello(version: 2));

        var ex = await Assert.ThrowsAsync<ProtocolException>(() => channel.ReadHelloAsync(CancellationToken.None).AsTask());

        Assert.Equal(ProtocolError.UnsupportedVersion, ex.Error);
        Assert.Equal("Guest speaks protocol version 2; this host speaks 1.", ex.Message);
    }

    [Fact]
    public async Task ReadHelloAsync_CallBeforeHello_ThrowsUnexpectedMessage()
    {
        await using var guest = await FakeGuest.ConnectAsync();
        var channel = new GuestChannel(guest.HostStream);
        await guest.SendCallAsync(1, new CloudCallRequest { GetPrivilege = new GetPrivilege() });

        var ex = await Assert.ThrowsAsync<ProtocolException>(() => channel.ReadHelloAsync(CancellationToken.None).AsTask());

        Assert.Equal(ProtocolError.UnexpectedMessage, ex.Error);
        Assert.Equal("Expected Hello, got a Call message.", ex.Message);
    }

    [Fact]
    public async Task ReadHelloAsync_GuestHangsUp_ReturnsNull()
    {
        await using var guest = await FakeGuest.ConnectAsync();
        var channel = new GuestChannel(guest.HostStream);
        guest.HangUp();

        Assert.Null(await channel.ReadHelloAsync(CancellationToken.None));
    }

    [Fact]
    public async Task InvokeAsync_ServesCallsInOrder_CopyingRequestIdsIntoReplies()
    {
        var (guest, channel) = await ConnectedAsync();
        await using var _ = guest;
        var kernel = new FakeKernel { Privilege = "bob" };

        var invocation = channel.InvokeAsync("""{"a":1}"""u8.ToArray(), kernel, CancellationToken.None).AsTask();
        var start = (await guest.ReceiveAsync()).Start;
        await guest.SendCallAsync(77, new CloudCallRequest { GetPrivilege = new GetPrivilege() });
        var reply1 = (await guest.ReceiveAsync()).Reply;
        await guest.SendCallAsync(78, new CloudCallRequest { SubPrivilege = new SubPrivilege { Suffix = "x" } });
        var reply2 = (await guest.ReceiveAsync()).Reply;
        await guest.SendAsync(FakeGuest.Result(start.InvocationId, "42"));

        var result = await invocation;
        Assert.Equal("""{"a":1}""", start.Payload.ToStringUtf8());
        Assert.Equal((77UL, "bob"), (reply1.Id, reply1.Privilege.Privilege));
        Assert.Equal((78UL, "bob/x"), (reply2.Id, reply2.Privilege.Privilege));
        Assert.Equal("42", result!.Value.ToStringUtf8());
        Assert.Equal(2, channel.CloudCalls);
    }

    [Fact]
    public async Task InvokeAsync_EmptyCall_IsAnsweredBadRequestWithoutReachingTheHandler()
    {
        var (guest, channel) = await ConnectedAsync();
        await using var _ = guest;
        var kernel = new FakeKernel();

        var invocation = channel.InvokeAsync(default, kernel, CancellationToken.None).AsTask();
        var start = (await guest.ReceiveAsync()).Start;
        await guest.SendCallAsync(5, new CloudCallRequest());
        var reply = (await guest.ReceiveAsync()).Reply;
        await guest.SendAsync(FakeGuest.Result(start.InvocationId, "null"));
        await invocation;

        Assert.Equal((5UL, CloudCallErrorCode.BadRequest), (reply.Id, reply.Error.Code));
        Assert.Empty(kernel.Requests);
    }

    [Fact]
    public async Task InvokeAsync_HandlerThrows_GuestGetsInternalWithoutDetails()
    {
        var (guest, channel) = await ConnectedAsync();
        await using var _ = guest;

        var invocation = channel.InvokeAsync(default, new ThrowingHandler(new InvalidOperationException("secret detail")), CancellationToken.None).AsTask();
        var start = (await guest.ReceiveAsync()).Start;
        await guest.SendCallAsync(1, new CloudCallRequest { Endorse = new Endorse() });
        var reply = (await guest.ReceiveAsync()).Reply;
        await guest.SendAsync(FakeGuest.Result(start.InvocationId, "null"));
        await invocation;

        Assert.Equal(CloudCallErrorCode.Internal, reply.Error.Code);
        Assert.DoesNotContain("secret", reply.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_HandlerReturnsNoResult_GuestGetsInternal()
    {
        var (guest, channel) = await ConnectedAsync();
        await using var _ = guest;

        var invocation = channel.InvokeAsync(default, new EmptyHandler(), CancellationToken.None).AsTask();
        var start = (await guest.ReceiveAsync()).Start;
        await guest.SendCallAsync(9, new CloudCallRequest { Endorse = new Endorse() });
        var reply = (await guest.ReceiveAsync()).Reply;
        await guest.SendAsync(FakeGuest.Result(start.InvocationId, "null"));
        await invocation;

        Assert.Equal((9UL, CloudCallErrorCode.Internal), (reply.Id, reply.Error.Code));
    }

    [Fact]
    public async Task InvokeAsync_ResultForAnotherInvocation_ThrowsUnexpectedMessage()
    {
        var (guest, channel) = await ConnectedAsync();
        await using var _ = guest;

        var invocation = channel.InvokeAsync(default, new FakeKernel(), CancellationToken.None).AsTask();
        var start = (await guest.ReceiveAsync()).Start;
        await guest.SendAsync(FakeGuest.Result(start.InvocationId + 1, "null"));

        var ex = await Assert.ThrowsAsync<ProtocolException>(() => invocation);
        Assert.Equal(ProtocolError.UnexpectedMessage, ex.Error);
    }

    [Fact]
    public async Task InvokeAsync_SecondHello_ThrowsUnexpectedMessage()
    {
        var (guest, channel) = await ConnectedAsync();
        await using var _ = guest;

        var invocation = channel.InvokeAsync(default, new FakeKernel(), CancellationToken.None).AsTask();
        await guest.ReceiveAsync();
        await guest.SendAsync(FakeGuest.Hello());

        var ex = await Assert.ThrowsAsync<ProtocolException>(() => invocation);
        Assert.Equal("Unexpected a Hello message during invocation 1.", ex.Message);
    }

    [Fact]
    public async Task InvokeAsync_OversizedFrame_ThrowsFrameTooLarge()
    {
        var (guest, channel) = await ConnectedAsync();
        await using var _ = guest;

        var invocation = channel.InvokeAsync(default, new FakeKernel(), CancellationToken.None).AsTask();
        await guest.ReceiveAsync();
        await guest.SendRawAsync([0x01, 0x00, 0x00, 0x80]);

        var ex = await Assert.ThrowsAsync<ProtocolException>(() => invocation);
        Assert.Equal(ProtocolError.FrameTooLarge, ex.Error);
    }

    [Fact]
    public async Task InvokeAsync_GuestHangsUpMidInvocation_ReturnsNull()
    {
        var (guest, channel) = await ConnectedAsync();
        await using var _ = guest;

        var invocation = channel.InvokeAsync(default, new FakeKernel(), CancellationToken.None).AsTask();
        await guest.ReceiveAsync();
        guest.HangUp();

        Assert.Null(await invocation);
    }

    // Issue 12 item 7: three slow kernel calls kept the kernel busy long after the VM's time was
    // up. When the invocation's token fires, the call in flight is abandoned and the invocation
    // ends at once, whether or not the handler watches the token.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task InvokeAsync_KernelCallStillRunningAtTheDeadline_IsAbandonedAndTheInvocationEnds(bool observesToken)
    {
        var (guest, channel) = await ConnectedAsync();
        await using var _ = guest;
        var handler = new StuckHandler(observesToken);
        using var deadline = new CancellationTokenSource();

        var invocation = channel.InvokeAsync(default, handler, deadline.Token).AsTask();
        await guest.ReceiveAsync();
        await guest.SendCallAsync(1, new CloudCallRequest { TaintWithLabel = new TaintWithLabel { Label = "alice,T" } });
        await handler.Started.Task;
        await deadline.CancelAsync();

        // Generous bound: it only turns a hang (the old behaviour) into a failure.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => invocation.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(handler.Token.IsCancellationRequested, "the handler's token was not cancelled");
    }
}

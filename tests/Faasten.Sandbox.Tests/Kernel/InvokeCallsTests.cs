using Faasten.Protocol.Labels;
using Faasten.Protocol.V1;
using Faasten.Sandbox.Kernel;
using Google.Protobuf;
using static Faasten.Sandbox.Tests.Kernel.KernelAssert;
using static Faasten.Sandbox.Tests.Kernel.KernelHarness;

namespace Faasten.Sandbox.Tests.Kernel;

public sealed class InvokeCallsTests : IAsyncLifetime
{
    private KernelHarness _h = null!;

    public async Task InitializeAsync() => _h = await CreateAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private static CloudCallRequest Invoke(string payload = """{"n": 1}""", bool sync = true) =>
        new() { Invoke = new() { Path = "home:<bob,bob>:gate", Payload = ByteString.CopyFromUtf8(payload), Sync = sync } };

    [Fact]
    public async Task Sync_RequestCarriesCallersAuthorityLabelAndDepth_AndReplyTaintsCaller()
    {
        _h.Invoker.Reply = new InvokeReply { Status = InvokeStatus.Ok, Body = ByteString.CopyFromUtf8("""{"ok": true}"""), Label = L("bob,T").ToProto() };
        var alice = _h.Kernel("alice", "alice,alice", depth: 3);

        var reply = await OkAsync(alice, Invoke());

        Assert.Equal("""{"ok": true}""", reply.Invoke.Value.ToStringUtf8());
        var request = Assert.Single(_h.Invoker.Requests);
        Assert.Equal(C("alice"), request.InvokerPrivilege.FromProto());
        Assert.Equal(L("alice,alice"), request.PayloadLabel.FromProto());
        Assert.Equal(4u, request.Depth);
        Assert.Equal("home:<bob,bob>:gate", request.GatePath);
        Assert.True(request.Sync);
        Assert.False(string.IsNullOrEmpty(request.Id));
        Assert.Equal("alice&bob,T", await LabelAsync(alice));
    }

    [Fact]
    public async Task Sync_FunctionError_InvocationFailedWithMessage_AndStillTaints()
    {
        _h.Invoker.Reply = new InvokeReply { Status = InvokeStatus.FunctionError, Body = ByteString.CopyFromUtf8("KeyError: 'input'"), Label = L("bob,bob").ToProto() };
        var alice = _h.Kernel("alice");
        var error = await FailsAsync(alice, Invoke(), CloudCallErrorCode.InvocationFailed);
        Assert.Contains("KeyError: 'input'", error.Message, StringComparison.Ordinal);
        Assert.Equal("bob,T", await LabelAsync(alice));
    }

    [Theory]
    [InlineData(InvokeStatus.Forbidden, CloudCallErrorCode.PrivilegeDenied)]
    [InlineData(InvokeStatus.NotFound, CloudCallErrorCode.NotFound)]
    [InlineData(InvokeStatus.Timeout, CloudCallErrorCode.Timeout)]
    [InlineData(InvokeStatus.Crashed, CloudCallErrorCode.InvocationFailed)]
    [InlineData(InvokeStatus.QueueFull, CloudCallErrorCode.InvocationFailed)]
    public async Task Sync_Refused_MapsStatus_AndStillTaints(InvokeStatus status, CloudCallErrorCode code)
    {
        _h.Invoker.Reply = new InvokeReply { Status = status, Label = L("bob,T").ToProto() };
        var alice = _h.Kernel("alice");
        await FailsAsync(alice, Invoke(), code);
        Assert.Equal("bob,T", await LabelAsync(alice));
    }

    [Fact]
    public async Task Sync_AfterSubPrivilege_InvokesWithTheNarrowedPrivilege()
    {
        var alice = _h.Kernel("alice");
        await OkAsync(alice, new() { SubPrivilege = new() { Suffix = "pma" } });
        await OkAsync(alice, Invoke());
        Assert.Equal(C("alice/pma"), Assert.Single(_h.Invoker.Requests).InvokerPrivilege.FromProto());
    }

    [Fact]
    public async Task Async_ReturnsTheIdAtOnce()
    {
        var alice = _h.Kernel("alice");
        var reply = await OkAsync(alice, Invoke(sync: false));
        var request = Assert.Single(_h.Invoker.Requests);
        Assert.False(request.Sync);
        Assert.Equal(request.Id, reply.Invoke.InvocationId);
        Assert.Equal("T,T", await LabelAsync(alice));
    }

    [Fact]
    public async Task Async_QueueFull_InvocationFailed()
    {
        _h.Invoker.SubmitReply = new InvokeReply { Status = InvokeStatus.QueueFull };
        await FailsAsync(_h.Kernel("alice"), Invoke(sync: false), CloudCallErrorCode.InvocationFailed);
    }

    [Fact]
    public async Task Sync_ResultLargerThanTheCap_TooLarge_AndStillTaints()
    {
        _h.Invoker.Reply = new InvokeReply { Status = InvokeStatus.Ok, Body = ByteString.CopyFromUtf8(new string('1', 100)), Label = L("bob,T").ToProto() };
        var alice = _h.Kernel("alice", options: new CloudCallKernelOptions { MaxInvokeResultBytes = 99 });
        await FailsAsync(alice, Invoke(), CloudCallErrorCode.TooLarge);
        Assert.Equal("bob,T", await LabelAsync(alice));
    }

    [Fact]
    public async Task ChainDeeperThanTheLimit_BadRequest()
    {
        var options = new CloudCallKernelOptions { MaxInvokeDepth = 4 };
        await OkAsync(_h.Kernel("alice", options: options, depth: 3), Invoke());
        await FailsAsync(_h.Kernel("alice", options: options, depth: 4), Invoke(), CloudCallErrorCode.BadRequest);
        Assert.Single(_h.Invoker.Requests);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{} {}")]
    [InlineData("not json")]
    public async Task PayloadNotJson_BadRequest(string payload)
    {
        await FailsAsync(_h.Kernel("alice"), Invoke(payload), CloudCallErrorCode.BadRequest);
        Assert.Empty(_h.Invoker.Requests);
    }

    [Fact]
    public async Task ReplyWithMalformedLabel_FailsClosedAtTop()
    {
        _h.Invoker.Reply = new InvokeReply { Status = InvokeStatus.Ok, Label = new Protocol.V1.Label() };
        var alice = _h.Kernel("alice");
        await FailsAsync(alice, Invoke(), CloudCallErrorCode.Internal);
        Assert.Equal("F,T", await LabelAsync(alice));
    }
}

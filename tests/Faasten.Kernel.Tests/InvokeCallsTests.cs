using Faasten.Kernel;
using Faasten.Protocol.Invocations;
using Faasten.Protocol.Labels;
using Faasten.Protocol.V1;
using Google.Protobuf;
using static Faasten.Kernel.Tests.KernelAssert;
using static Faasten.Kernel.Tests.KernelHarness;

namespace Faasten.Kernel.Tests;

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
        _h.Invoker.Reply = RecordingInvoker.Answer(InvocationStatus.Ok, """{"ok": true}""", L("bob,T"));
        var alice = _h.Kernel("alice", "alice,alice", depth: 3);

        var reply = await OkAsync(alice, Invoke());

        Assert.Equal("""{"ok": true}""", reply.Invoke.Value.ToStringUtf8());
        var request = Assert.Single(_h.Invoker.Requests);
        Assert.Equal(C("alice"), request.InvokerPrivilege);
        Assert.Equal(L("alice,alice"), request.PayloadLabel);
        Assert.Equal(4, request.Depth);
        Assert.Equal("home:<bob,bob>:gate", request.GatePath);
        Assert.True(request.Sync);
        Assert.False(string.IsNullOrEmpty(request.Id));
        Assert.Equal("alice&bob,T", await LabelAsync(alice));
    }

    [Fact]
    public async Task Sync_FunctionError_InvocationFailedWithMessage_AndStillTaints()
    {
        _h.Invoker.Reply = RecordingInvoker.Answer(InvocationStatus.FunctionError, "KeyError: 'input'", L("bob,bob"));
        var alice = _h.Kernel("alice");
        var error = await FailsAsync(alice, Invoke(), CloudCallErrorCode.InvocationFailed);
        Assert.Contains("KeyError: 'input'", error.Message, StringComparison.Ordinal);
        Assert.Equal("bob,T", await LabelAsync(alice));
    }

    [Theory]
    [InlineData(InvocationStatus.Forbidden, CloudCallErrorCode.PrivilegeDenied)]
    [InlineData(InvocationStatus.NotFound, CloudCallErrorCode.NotFound)]
    [InlineData(InvocationStatus.Timeout, CloudCallErrorCode.Timeout)]
    [InlineData(InvocationStatus.Crashed, CloudCallErrorCode.InvocationFailed)]
    [InlineData(InvocationStatus.QueueFull, CloudCallErrorCode.InvocationFailed)]
    public async Task Sync_Refused_MapsStatus_AndStillTaints(InvocationStatus status, CloudCallErrorCode code)
    {
        _h.Invoker.Reply = RecordingInvoker.Answer(status, label: L("bob,T"));
        var alice = _h.Kernel("alice");
        await FailsAsync(alice, Invoke(), code);
        Assert.Equal("bob,T", await LabelAsync(alice));
    }

    [Fact]
    public async Task DepthAtTheIntegerLimit_IsRefused_NotWrappedAround()
    {
        // A depth decoded from the wire may be anything; depth + 1 must not overflow past the check.
        await FailsAsync(_h.Kernel("alice", depth: int.MaxValue), Invoke(), CloudCallErrorCode.BadRequest);
        Assert.Empty(_h.Invoker.Requests);
    }

    [Fact]
    public async Task Sync_AfterSubPrivilege_InvokesWithTheNarrowedPrivilege()
    {
        var alice = _h.Kernel("alice");
        await OkAsync(alice, new() { SubPrivilege = new() { Suffix = "pma" } });
        await OkAsync(alice, Invoke());
        Assert.Equal(C("alice/pma"), Assert.Single(_h.Invoker.Requests).InvokerPrivilege);
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
        _h.Invoker.SubmitReply = RecordingInvoker.Answer(InvocationStatus.QueueFull);
        await FailsAsync(_h.Kernel("alice"), Invoke(sync: false), CloudCallErrorCode.InvocationFailed);
    }

    [Fact]
    public async Task Sync_ResultLargerThanTheCap_TooLarge_AndStillTaints()
    {
        _h.Invoker.Reply = RecordingInvoker.Answer(InvocationStatus.Ok, new string('1', 100), L("bob,T"));
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

}

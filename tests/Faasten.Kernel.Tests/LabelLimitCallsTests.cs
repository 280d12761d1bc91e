using Faasten.Labels;
using Faasten.Protocol.Invocations;
using Faasten.Protocol.V1;
using static Faasten.Kernel.Tests.KernelAssert;
using static Faasten.Kernel.Tests.KernelHarness;

namespace Faasten.Kernel.Tests;

/// <summary>
/// Issue 12 item 7 at the kernel: a function that sends labels big enough to pin the CPU, or
/// grows its label past the limits, gets a clear error reply and keeps its label.
/// </summary>
public sealed class LabelLimitCallsTests : IAsyncLifetime
{
    private KernelHarness _h = null!;

    public async Task InitializeAsync() => _h = await CreateAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private static string Conjunction(string prefix, int clauses) =>
        string.Join('&', Enumerable.Range(0, clauses).Select(i => $"{prefix}{i}"));

    [Fact]
    public async Task TaintWithLabel_149KbLabel_IsBadLabelNamingTheLimitAndChangesNothing()
    {
        var k = _h.Kernel("bob", "alice,T");
        var huge = Conjunction("user", 20_000) + ",T";

        var error = await FailsAsync(k, new() { TaintWithLabel = new() { Label = huge } }, CloudCallErrorCode.BadLabel);

        Assert.Contains("LabelLimits.MaxTextLength", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length < 1000, "the reply quotes the whole label");
        Assert.Equal("alice,T", await LabelAsync(k));
    }

    [Fact]
    public async Task TaintWithLabel_SecrecyOutgrowingTheLimit_IsTooLargeAndFailsClosedAtTop()
    {
        var half = LabelLimits.Default.MaxClauses / 2 + 1;
        var start = Conjunction("alice", half) + ",T";
        var k = _h.Kernel("bob", start);

        var error = await FailsAsync(k, new() { TaintWithLabel = new() { Label = Conjunction("bob", half) + ",T" } }, CloudCallErrorCode.TooLarge);

        Assert.Contains("LabelLimits.MaxClauses", error.Message, StringComparison.Ordinal);
        Assert.Equal(Faasten.Labels.Label.Top, L(await LabelAsync(k)));
    }

    /// <summary>
    /// The red-team review's attack on the limits: bob's callee taints itself with v extra
    /// clauses, v chosen by alice's secret, so that joining its reply label overflows the caller's
    /// label exactly when the secret says so. A caller left at its old label would learn v from
    /// the failure; it fails closed at the top label instead, where nothing can leave.
    /// </summary>
    [Fact]
    public async Task Attack_AReplyLabelThatOverflowsTheCaller_LeavesItAtTop()
    {
        var half = LabelLimits.Default.MaxClauses / 2 + 1;
        _h.Invoker.Reply = RecordingInvoker.Answer(InvocationStatus.Ok, "1", L(Conjunction("p", half) + ",T"));
        var bob = _h.Kernel("bob", Conjunction("bob/x", half) + ",T");

        var reply = await bob.HandleAsync(new() { Invoke = new() { Path = "g", Payload = Google.Protobuf.ByteString.CopyFromUtf8("{}"), Sync = true } }, CancellationToken.None);

        Assert.Equal(CloudCallErrorCode.TooLarge, reply.Error.Code);
        Assert.Equal(Faasten.Labels.Label.Top, L(await LabelAsync(bob)));
        await FailsAsync(bob, new() { Declassify = new() { Secrecy = "bob" } }, CloudCallErrorCode.LabelDenied);
    }

    [Fact]
    public async Task Read_FileWhoseLabelWouldOutgrowTheSecrecy_IsTooLargeAndReturnsNothing()
    {
        var half = LabelLimits.Default.MaxClauses / 2 + 1;
        await Ok(_h.Fs.CreateFileAsync(Super(), "wide", L(Conjunction("alice", half) + ",T"), "secret"u8.ToArray()));
        var start = Conjunction("bob", half) + ",T";
        var k = _h.Kernel("bob", start);

        var reply = await k.HandleAsync(new() { FsRead = new() { Path = "wide" } }, CancellationToken.None);

        Assert.Equal(CloudCallErrorCode.TooLarge, reply.Error.Code);
        Assert.Equal(CloudCallResponse.ResultOneofCase.Error, reply.ResultCase);
        Assert.Equal(Faasten.Labels.Label.Top, L(await LabelAsync(k)));
    }

    [Fact]
    public async Task Declassify_OversizeSecrecy_IsBadLabel()
    {
        var k = _h.Kernel("alice", "alice,T");
        var error = await FailsAsync(k, new() { Declassify = new() { Secrecy = Conjunction("x", LabelLimits.Default.MaxClauses + 1) } }, CloudCallErrorCode.BadLabel);
        Assert.Contains("LabelLimits.MaxClauses", error.Message, StringComparison.Ordinal);
        Assert.Equal("alice,T", await LabelAsync(k));
    }

    [Fact]
    public async Task SubPrivilege_PastTheTokenLimit_IsTooLarge()
    {
        var deep = string.Join('/', Enumerable.Repeat("a", LabelLimits.Default.MaxTokens));
        var k = _h.Kernel(deep);
        var error = await FailsAsync(k, new() { SubPrivilege = new() { Suffix = "b" } }, CloudCallErrorCode.TooLarge);
        Assert.Contains("LabelLimits.MaxTokens", error.Message, StringComparison.Ordinal);
        Assert.Equal(deep, (await OkAsync(k, new() { GetPrivilege = new() })).Privilege.Privilege);
    }

    [Fact]
    public async Task HandleAsync_AfterTheInvocationsTimeIsUp_StartsNothing()
    {
        var k = _h.Kernel("bob", "alice,T");
        using var expired = new CancellationTokenSource();
        await expired.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => k.HandleAsync(new() { TaintWithLabel = new() { Label = "bob,T" } }, expired.Token).AsTask());

        Assert.Equal("alice,T", await LabelAsync(k));
    }
}

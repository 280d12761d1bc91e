using System.Text;
using System.Text.Json;
using Faasten.Fs;
using Faasten.Kernel;
using Faasten.Protocol;
using Faasten.Protocol.Invocations;
using Faasten.Protocol.Labels;
using Faasten.Protocol.V1;
using Faasten.Sandbox.Vm;
using Faasten.Worker.Hosting;
using Faasten.Worker.Tests.Support;
using Google.Protobuf;
using static Faasten.Worker.Tests.Support.FsHarness;

namespace Faasten.Worker.Tests.Execution;

/// <summary>DESIGN §4 steps 1–6 against a real file system, with in-process VMs.</summary>
public sealed class FunctionWorkerTests
{
    private static readonly FakeBehavior Echo = (vm, request, _, _) =>
        ValueTask.FromResult(FakeVmBackend.Ok(Encoding.UTF8.GetString(request.Payload.Span)));

    private static async Task<string> TaintAsync(ICloudCallHandler kernel, string label, CancellationToken ct)
    {
        var response = await kernel.HandleAsync(new CloudCallRequest { TaintWithLabel = new TaintWithLabel { Label = label } }, ct);
        return response.Label.Label;
    }

    [Fact]
    public async Task Invoke_RunsOnAFreshVm_AndLabelsTheReplyWithTheDowngradedFinalLabel()
    {
        await using var w = await FakeWorker.CreateAsync(async (_, _, kernel, ct) =>
        {
            await TaintAsync(kernel, "alice&bob,T", ct);
            return FakeVmBackend.Ok("""{"done": true}""");
        });
        await w.Fs.CreateGateAsync("app", privilege: "alice", clearance: "T", label: "T,T");

        var reply = await w.Host.Invoker.InvokeAsync(Request("app", "bob"));

        Assert.Equal(InvocationStatus.Ok, reply.Status);
        Assert.Equal("""{"done": true}""", reply.BodyText);
        // downgrade((alice&bob, T), alice) drops alice's clause and endorses with alice.
        Assert.Equal(L("bob,alice"), reply.Label);
        Assert.Equal(1, w.Backend.Started);
    }

    [Fact]
    public async Task Invoke_WithoutTheClearance_IsForbidden_AndNoVmStarts()
    {
        await using var w = await FakeWorker.CreateAsync(Echo);
        await w.Fs.CreateGateAsync("home:<alice,alice>:app", privilege: "alice", clearance: "alice", label: "alice,alice");

        var reply = await w.Host.Invoker.InvokeAsync(Request("home:<alice,alice>:app", "bob"));

        Assert.Equal(InvocationStatus.Forbidden, reply.Status);
        Assert.Equal(0, w.Backend.Started);
        // The refusal depends on the private facet and gate it traversed: labeled like them.
        var label = reply.Label;
        Assert.Equal(L("alice,T"), label);
        Assert.False(SecurityContext.CanRelease(label, L("T,T"), C("bob")));
    }

    [Fact]
    public async Task Invoke_MissingGateInAPrivateDirectory_IsNotFound_UnderTheDirectoriesLabel()
    {
        await using var w = await FakeWorker.CreateAsync(Echo);

        var reply = await w.Host.Invoker.InvokeAsync(Request("home:<alice,alice>:nothing", "bob"));

        Assert.Equal(InvocationStatus.NotFound, reply.Status);
        Assert.Equal(L("alice,T"), reply.Label);
    }

    [Fact]
    public async Task Invoke_PathToSomethingElse_IsBadRequest()
    {
        await using var w = await FakeWorker.CreateAsync(Echo);

        var reply = await w.Host.Invoker.InvokeAsync(Request("home", "bob"));

        Assert.Equal(InvocationStatus.BadRequest, reply.Status);
    }

    /// <summary>
    /// Issue 12 item 7: a payload label and a gate label whose secrecies together exceed the
    /// label limits. The refusal is a clear bad request carrying what was learned, not an
    /// internal error, and no VM starts.
    /// </summary>
    [Fact]
    public async Task Invoke_WhoseLabelWouldOutgrowTheLimits_IsBadRequestAtTheTopLabel()
    {
        await using var w = await FakeWorker.CreateAsync(Echo);
        var payloadSecrecy = string.Join('&', Enumerable.Range(0, 40).Select(i => $"a{i}"));
        var gateSecrecy = string.Join('&', Enumerable.Range(0, 40).Select(i => $"b{i}"));
        await w.Fs.CreateGateAsync("wide", privilege: "T", clearance: "T", label: gateSecrecy + ",T");

        var reply = await w.Host.Invoker.InvokeAsync(Request("wide", "T", payloadLabel: payloadSecrecy + ",T"));

        Assert.Equal(InvocationStatus.BadRequest, reply.Status);
        Assert.Contains("LabelLimits", reply.BodyText, StringComparison.Ordinal);
        Assert.Equal(Faasten.Labels.Label.Top, reply.Label);
        Assert.Equal(0, w.Host.LiveVms);
    }

    [Fact]
    public async Task Invoke_TildeExpandsWithTheInvokersPrivilege()
    {
        await using var w = await FakeWorker.CreateAsync(Echo);
        await w.Fs.CreateGateAsync("home:<alice,alice>:app", privilege: "alice", clearance: "alice", label: "alice,alice");

        var alice = await w.Host.Invoker.InvokeAsync(Request("~:app", "alice", payload: """{"x": 1}"""));
        var bob = await w.Host.Invoker.InvokeAsync(Request("~:app", "bob"));

        Assert.Equal(InvocationStatus.Ok, alice.Status);
        Assert.Equal("""{"x": 1}""", alice.BodyText);
        Assert.Equal(InvocationStatus.NotFound, bob.Status);
    }

    [Fact]
    public async Task Vm_IsTaggedWithTheFinalLabel_AndOnlyServesRequestsAtLeastThatHigh()
    {
        // The fake function keeps "module state": it remembers the payload it saw last.
        await using var w = await FakeWorker.CreateAsync((vm, request, _, _) =>
        {
            var payload = Encoding.UTF8.GetString(request.Payload.Span);
            var previous = vm.Globals.GetValueOrDefault("last", "none");
            vm.Globals["last"] = payload;
            return ValueTask.FromResult(FakeVmBackend.Ok(JsonSerializer.Serialize(previous)));
        });
        await w.Fs.CreateGateAsync("app", privilege: "T", clearance: "T", label: "T,T");

        var alice = await w.Host.Invoker.InvokeAsync(Request("app", "alice", "alice,alice", """{"secret": "alice-secret"}"""));
        var bob = await w.Host.Invoker.InvokeAsync(Request("app", "bob"));
        var aliceAgain = await w.Host.Invoker.InvokeAsync(Request("app", "alice", "alice,alice", "{}"));

        Assert.Equal("\"none\"", alice.BodyText);
        Assert.Equal("\"none\"", bob.BodyText);
        Assert.Contains("alice-secret", aliceAgain.BodyText, StringComparison.Ordinal);
        Assert.Equal(2, w.Backend.Started);
    }

    [Theory]
    [InlineData(InvocationStatus.Timeout, InvocationStatus.Timeout)]
    [InlineData(InvocationStatus.OutOfMemory, InvocationStatus.OutOfMemory)]
    [InlineData(InvocationStatus.Crashed, InvocationStatus.Crashed)]
    public async Task FailedVm_IsDestroyed_TheReplyMapsTheStatus_AndTheNextRequestGetsAFreshVm(InvocationStatus outcome, InvocationStatus expected)
    {
        await using var w = await FakeWorker.CreateAsync((_, request, _, _) => ValueTask.FromResult(
            request.Payload.Span.SequenceEqual("\"fail\""u8)
                ? new InvocationOutcome(outcome, default, "it went wrong")
                : FakeVmBackend.Ok("1")));
        await w.Fs.CreateGateAsync("app", privilege: "T", clearance: "T", label: "T,T");

        var failed = await w.Host.Invoker.InvokeAsync(Request("app", "T", payload: "\"fail\""));
        var next = await w.Host.Invoker.InvokeAsync(Request("app", "T"));

        Assert.Equal(expected, failed.Status);
        Assert.Equal("it went wrong", failed.BodyText);
        Assert.Equal(InvocationStatus.Ok, next.Status);
        Assert.Equal(2, w.Backend.Started);
        Assert.Equal(1, w.Backend.DisposedCount);
        Assert.Equal(1, w.Host.LiveVms);
    }

    [Fact]
    public async Task IdleVmFoundDeadAtInvocation_IsReplacedByAFreshOne()
    {
        await using var w = await FakeWorker.CreateAsync(Echo);
        await w.Fs.CreateGateAsync("app", privilege: "T", clearance: "T", label: "T,T");
        await w.Host.Invoker.InvokeAsync(Request("app", "T"));
        Assert.True(w.Backend.Vms.TryPeek(out var first));
        first.DieOnNextInvoke = true;

        var reply = await w.Host.Invoker.InvokeAsync(Request("app", "T"));

        Assert.Equal(InvocationStatus.Ok, reply.Status);
        Assert.Equal(2, w.Backend.Started);
        Assert.True(w.Backend.IsDisposed(first));
        Assert.Equal(1, w.Host.LiveVms);
    }

    [Fact]
    public async Task FunctionError_RepliesWithTheErrorBody_AndKeepsTheVm()
    {
        await using var w = await FakeWorker.CreateAsync((_, _, _, _) => ValueTask.FromResult(
            new InvocationOutcome(InvocationStatus.FunctionError, """{"error": "KeyError"}"""u8.ToArray(), "handle raised KeyError")));
        await w.Fs.CreateGateAsync("app", privilege: "T", clearance: "T", label: "T,T");

        var first = await w.Host.Invoker.InvokeAsync(Request("app", "T"));
        await w.Host.Invoker.InvokeAsync(Request("app", "T"));

        Assert.Equal(InvocationStatus.FunctionError, first.Status);
        Assert.Equal("""{"error": "KeyError"}""", first.BodyText);
        Assert.Equal(1, w.Backend.Started);
    }

    [Fact]
    public async Task VmStartFailure_RepliesWithItsStatus_AndHoldsNoMemory()
    {
        await using var w = await FakeWorker.CreateAsync(Echo);
        w.Backend.FailStarts = InvocationStatus.Crashed;
        await w.Fs.CreateGateAsync("app", privilege: "T", clearance: "T", label: "T,T");

        var reply = await w.Host.Invoker.InvokeAsync(Request("app", "T"));

        Assert.Equal(InvocationStatus.Crashed, reply.Status);
        Assert.Equal(0, w.Host.LiveMemoryMb);
    }

    [Fact]
    public async Task FunctionLargerThanTheBudget_IsRefusedWithOutOfMemory()
    {
        await using var w = await FakeWorker.CreateAsync(Echo, new WorkerOptions { Slots = 2, MemoryBudgetMb = 256 });
        await w.Fs.CreateGateAsync("big", privilege: "T", clearance: "T", label: "T,T", memoryMb: 512);

        var reply = await w.Host.Invoker.InvokeAsync(Request("big", "T"));

        Assert.Equal(InvocationStatus.OutOfMemory, reply.Status);
        Assert.Equal(0, w.Backend.Started);
    }

    [Fact]
    public async Task ConcurrentInvocations_NeverShareAVm()
    {
        await using var w = await FakeWorker.CreateAsync(async (_, _, _, ct) =>
        {
            await Task.Delay(5, ct);
            return FakeVmBackend.Ok("1");
        }, new WorkerOptions { Slots = 4 });
        await w.Fs.CreateGateAsync("app", privilege: "T", clearance: "T", label: "T,T");

        var replies = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => w.Host.Invoker.InvokeAsync(Request("app", "T")).AsTask()));

        Assert.All(replies, r => Assert.Equal(InvocationStatus.Ok, r.Status));
        Assert.Equal(0, w.Backend.Overlaps);
        Assert.InRange(w.Backend.Started, 1, 4);
    }

    [Fact]
    public async Task NestedSyncChain_DeeperThanTheSlots_Completes()
    {
        // Each level invokes the same gate with n - 1: every caller holds its VM while it waits.
        await using var w = await FakeWorker.CreateAsync(async (_, request, kernel, ct) =>
        {
            var n = JsonSerializer.Deserialize<int>(request.Payload.Span);
            if (n == 0)
            {
                return FakeVmBackend.Ok("0");
            }

            var response = await kernel.HandleAsync(new CloudCallRequest { Invoke = new Invoke { Path = "app", Payload = ByteString.CopyFromUtf8((n - 1).ToString(System.Globalization.CultureInfo.InvariantCulture)), Sync = true } }, ct);
            Assert.Equal(CloudCallResponse.ResultOneofCase.Invoke, response.ResultCase);
            return FakeVmBackend.Ok((int.Parse(response.Invoke.Value.ToStringUtf8(), System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }, new WorkerOptions { Slots = 2, QueueCapacity = 2, MemoryBudgetMb = 2 * 9 * 128 });
        await w.Fs.CreateGateAsync("app", privilege: "T", clearance: "T", label: "T,T");

        var replies = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ =>
            w.Host.Invoker.InvokeAsync(Request("app", "T", payload: "8")).AsTask().WaitAsync(TimeSpan.FromSeconds(30))));

        Assert.All(replies, r => Assert.Equal("8", r.BodyText));
        Assert.Equal(0, w.Host.Running);
    }

    /// <summary>
    /// Issue 12 item 10: a chain of nested calls may not reserve more than the memory budget
    /// (it reserved 32 GB against 4 GB). The call that does not fit is refused with a clear
    /// status, which its caller sees, and the chain unwinds.
    /// </summary>
    [Fact]
    public async Task NestedSyncChain_DeeperThanTheMemoryBudget_IsRefusedOutOfMemory()
    {
        await using var w = await FakeWorker.CreateAsync(async (_, request, kernel, ct) =>
        {
            var n = JsonSerializer.Deserialize<int>(request.Payload.Span);
            if (n == 0)
            {
                return FakeVmBackend.Ok("\"bottom\"");
            }

            var response = await kernel.HandleAsync(new CloudCallRequest { Invoke = new Invoke { Path = "app", Payload = ByteString.CopyFromUtf8((n - 1).ToString(System.Globalization.CultureInfo.InvariantCulture)), Sync = true } }, ct);
            return response.ResultCase == CloudCallResponse.ResultOneofCase.Invoke
                ? FakeVmBackend.Ok(response.Invoke.Value.ToStringUtf8())
                : FakeVmBackend.Ok(JsonSerializer.Serialize($"{response.Error.Code}: {response.Error.Message}"));
        }, new WorkerOptions { Slots = 2, MemoryBudgetMb = 4 * 128 });
        await w.Fs.CreateGateAsync("app", privilege: "T", clearance: "T", label: "T,T");

        var reply = await w.Host.Invoker.InvokeAsync(Request("app", "T", payload: "8")).AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(InvocationStatus.Ok, reply.Status);
        var refusal = JsonSerializer.Deserialize<string>(reply.Body.Span)!;
        Assert.StartsWith("InvocationFailed", refusal, StringComparison.Ordinal);
        Assert.Contains("out of memory", refusal, StringComparison.Ordinal);
        Assert.Contains("memory budget has no room for this nested call", refusal, StringComparison.Ordinal);
        Assert.True(w.Host.LiveMemoryMb <= 4 * 128);
        Assert.Equal(0, w.Host.Running);
    }

    [Fact]
    public async Task NestedCall_ReplyTaintsTheCaller_AndCarriesItsLabelIntoTheCallee()
    {
        await using var w = await FakeWorker.CreateAsync(async (_, request, kernel, ct) =>
        {
            var payload = request.Payload.Span;
            if (payload.SequenceEqual("\"callee\""u8))
            {
                var seen = (await kernel.HandleAsync(new CloudCallRequest { GetCurrentLabel = new GetCurrentLabel() }, ct)).Label.Label;
                await TaintAsync(kernel, "bob,T", ct);
                return FakeVmBackend.Ok(JsonSerializer.Serialize(seen));
            }

            await TaintAsync(kernel, "alice,T", ct);
            var reply = await kernel.HandleAsync(new CloudCallRequest { Invoke = new Invoke { Path = "callee", Payload = ByteString.CopyFromUtf8("\"callee\""), Sync = true } }, ct);
            return FakeVmBackend.Ok(reply.Invoke.Value.ToStringUtf8());
        });
        await w.Fs.CreateGateAsync("caller", privilege: "T", clearance: "T", label: "T,T");
        await w.Fs.CreateGateAsync("callee", privilege: "T", clearance: "T", label: "T,T");

        var reply = await w.Host.Invoker.InvokeAsync(Request("caller", "T"));

        Assert.Equal(InvocationStatus.Ok, reply.Status);
        Assert.Equal("\"alice,T\"", reply.BodyText);
        Assert.Equal(L("alice&bob,T"), reply.Label);
    }

    [Fact]
    public async Task AsyncNestedCall_ReturnsAnId_WhoseResultTheSchedulerKeeps()
    {
        string? id = null;
        await using var w = await FakeWorker.CreateAsync(async (_, request, kernel, ct) =>
        {
            if (request.Payload.Span.SequenceEqual("\"callee\""u8))
            {
                return FakeVmBackend.Ok("\"from the callee\"");
            }

            var reply = await kernel.HandleAsync(new CloudCallRequest { Invoke = new Invoke { Path = "app", Payload = ByteString.CopyFromUtf8("\"callee\""), Sync = false } }, ct);
            id = reply.Invoke.InvocationId;
            return FakeVmBackend.Ok("\"submitted\"");
        });
        await w.Fs.CreateGateAsync("app", privilege: "T", clearance: "T", label: "T,T");

        Assert.Equal(InvocationStatus.Ok, (await w.Host.Invoker.InvokeAsync(Request("app", "T"))).Status);
        Assert.False(string.IsNullOrEmpty(id));
        for (var i = 0; i < 500 && (await w.Host.Results.GetAsync(id!))?.Status == InvocationStatus.Pending; i++)
        {
            await Task.Delay(10);
        }

        var result = (await w.Host.Results.GetAsync(id!));
        Assert.Equal(InvocationStatus.Ok, result!.Status);
        Assert.Equal("\"from the callee\"", result.BodyText);
    }
}

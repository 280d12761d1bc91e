using System.Text.Json;
using Faasten.Protocol.Invocations;
using Faasten.Protocol.V1;
using Faasten.Worker.Hosting;
using Faasten.Worker.Tests.Support;

namespace Faasten.Worker.Tests.Hosting;

/// <summary>Issue 5's reliability properties, on real bubblewrap VMs running Python.</summary>
public sealed class WorkerHostReliabilityTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private const string Counter = """
        import os
        import signal
        import time

        count = 0

        def handle(event, cloudcall):
            global count
            count += 1
            if event.get("exit"):
                os._exit(3)
            if event.get("kill"):
                os.kill(os.getpid(), signal.SIGKILL)
            if event.get("sleep"):
                time.sleep(event["sleep"])
            return count
        """;

    [Theory]
    [InlineData("exit")]
    [InlineData("kill")]
    public async Task VmDyingMidInvocation_FailsThatInvocationOnly_AndTheWorkerKeepsServing(string how)
    {
        await using var w = await SandboxWorker.CreateAsync(sandbox.Backend);
        await w.CreateGateAsync("app", Counter);
        Assert.Equal("1", (await w.InvokeAsync("app")).BodyText);

        var bystander = w.InvokeAsync("app", payload: """{"sleep": 0.5}""");
        var crashed = await w.InvokeAsync("app", payload: $$"""{"{{how}}": true}""");
        var next = await w.InvokeAsync("app");

        Assert.Equal(InvocationStatus.Crashed, crashed.Status);
        Assert.Equal(InvocationStatus.Ok, (await bystander).Status);
        Assert.Equal(InvocationStatus.Ok, next.Status);
        // The dead VM is gone from the pool and from the backend: nothing leaked.
        Assert.InRange(w.Host.LiveVms, 1, 2);
        Assert.Equal(w.Host.LiveVms, sandbox.Backend.LiveVms);
    }

    [Fact]
    public async Task Timeout_KillsTheVm_AndReportsTimeout()
    {
        await using var w = await SandboxWorker.CreateAsync(sandbox.Backend);
        await w.CreateGateAsync("app", Counter, timeoutMs: 1000);
        Assert.Equal("1", (await w.InvokeAsync("app")).BodyText);

        var timedOut = await w.InvokeAsync("app", payload: """{"sleep": 60}""");
        var next = await w.InvokeAsync("app");

        Assert.Equal(InvocationStatus.Timeout, timedOut.Status);
        // A fresh VM: the count restarted, so the one that slept is gone.
        Assert.Equal("1", next.BodyText);
        Assert.Equal(1, w.Host.LiveVms);
        Assert.Equal(1, sandbox.Backend.LiveVms);
    }

    [Fact]
    public async Task Burst_BeyondTheQueue_GetsQueueFull_AndTheRestRun()
    {
        await using var w = await SandboxWorker.CreateAsync(sandbox.Backend, new WorkerOptions { Slots = 1, QueueCapacity = 2 });
        await w.CreateGateAsync("app", Counter);
        await w.InvokeAsync("app");

        var burst = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => w.InvokeAsync("app", payload: """{"sleep": 0.3}""")));

        // Two fit in the queue and at most one more in the slot, if the dispatcher took it in time.
        Assert.All(burst, r => Assert.Contains(r.Status, new[] { InvocationStatus.Ok, InvocationStatus.QueueFull }));
        Assert.InRange(burst.Count(r => r.Status == InvocationStatus.Ok), 2, 3);
        Assert.Contains("queue is full", burst.First(r => r.Status == InvocationStatus.QueueFull).BodyText, StringComparison.Ordinal);
        Assert.Equal(InvocationStatus.Ok, (await w.InvokeAsync("app")).Status);
    }

    [Fact]
    public async Task NestedSyncChain_DeeperThanTheSlots_Completes()
    {
        // Six VMs are busy at the deepest point; the budget has room for them (a chain deeper
        // than the budget is refused, see FunctionWorkerTests).
        await using var w = await SandboxWorker.CreateAsync(sandbox.Backend, new WorkerOptions { Slots = 2, MemoryBudgetMb = 6 * 128 });
        await w.CreateGateAsync("chain", """
            def handle(event, cloudcall):
                n = event["n"]
                if n == 0:
                    return [0]
                return cloudcall.invoke("chain", {"n": n - 1}) + [n]
            """);

        var reply = await w.InvokeAsync("chain", payload: """{"n": 5}""");

        Assert.Equal(InvocationStatus.Ok, reply.Status);
        Assert.Equal([0, 1, 2, 3, 4, 5], JsonSerializer.Deserialize<int[]>(reply.Body.Span)!);
        Assert.Equal(6, w.Host.LiveVms);
    }
}

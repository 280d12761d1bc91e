using Faasten.Protocol.Invocations;
using Faasten.Protocol.V1;
using Faasten.Tests.Common;
using Faasten.Worker.Hosting;
using Faasten.Worker.Tests.Support;
using static Faasten.Worker.Tests.Support.FsHarness;

namespace Faasten.Worker.Tests.Hosting;

/// <summary>The public composition: <see cref="WorkerHost.CreateAsync"/> with the real image cache and bubblewrap.</summary>
public sealed class WorkerHostTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>, IAsyncLifetime
{
    private readonly TempDirectory _cache = new("faasten-image-cache");
    private FsHarness _fs = null!;

    public async Task InitializeAsync() => _fs = await CreateAsync();

    public async Task DisposeAsync()
    {
        await _fs.DisposeAsync();
        _cache.Dispose();
    }

    [Fact]
    public async Task CreateAsync_TheInjectedClock_GovernsResultRetention()
    {
        var clock = new ManualTimeProvider();
        var options = new WorkerOptions { ImageCacheDirectory = _cache.Path, ResultRetention = TimeSpan.FromMinutes(5) };
        await using var host = await WorkerHost.CreateAsync(_fs.Fs, sandbox.Backend, options, time: clock);
        var request = Request("no-such-gate", "T") with { Sync = false };

        Assert.Equal(InvocationStatus.Pending, (await host.Invoker.InvokeAsync(request)).Status);
        InvocationReply? result = null;
        for (var i = 0; i < 500 && (result = await host.Results.GetAsync(request.Id))?.Status == InvocationStatus.Pending; i++)
        {
            await Task.Delay(10);
        }

        Assert.Equal(InvocationStatus.NotFound, result?.Status);
        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.NotNull(await host.Results.GetAsync(request.Id));
        clock.Advance(TimeSpan.FromMinutes(2)); // past the retention on the worker's clock, not the system's
        Assert.Null(await host.Results.GetAsync(request.Id));
    }

    [Fact]
    public async Task CreateAsync_InvalidOptions_ListsEveryProblem()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => WorkerHost.CreateAsync(_fs.Fs, sandbox.Backend, new WorkerOptions { Slots = 0, MemoryBudgetMb = 1, ImageCacheDirectory = " " }).AsTask());

        Assert.Contains("Slots", e.Message, StringComparison.Ordinal);
        Assert.Contains("MemoryBudgetMb", e.Message, StringComparison.Ordinal);
        Assert.Contains("ImageCacheDirectory", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_RunsFunctionsFromSquashFsImageBlobs_AndRefusesBlobsThatAreNoImage()
    {
        await using var host = await WorkerHost.CreateAsync(_fs.Fs, sandbox.Backend, new WorkerOptions { Slots = 2, ImageCacheDirectory = _cache.Path });
        var image = await SquashImage.BuildAsync("""
            def handle(event, cloudcall):
                return {"hello": event["name"], "label": cloudcall.get_current_label()}
            """);
        await _fs.CreateGateAsync("hello", privilege: "T", clearance: "T", label: "T,T", image: image);
        await _fs.CreateGateAsync("broken", privilege: "T", clearance: "T", label: "T,T", image: "not squashfs"u8.ToArray());

        var hello = await host.Invoker.InvokeAsync(Request("hello", "alice", "alice,alice", """{"name": "alice"}"""));
        var broken = await host.Invoker.InvokeAsync(Request("broken", "T"));
        var again = await host.Invoker.InvokeAsync(Request("hello", "alice", "alice,alice", """{"name": "again"}"""));

        Assert.Equal(InvocationStatus.Ok, hello.Status);
        Assert.Equal("""{"hello":"alice","label":"alice,T"}""", hello.BodyText);
        Assert.Equal(InvocationStatus.Crashed, broken.Status);
        Assert.Equal(InvocationStatus.Ok, again.Status);
        // The warm VM served again; beside it, the spare its cold start asked for (on by default).
        await Poll.UntilAsync(() => host.IdleSpares == 1, TimeSpan.FromSeconds(30));
        Assert.Equal(2, host.LiveVms);
    }

    [Fact]
    public async Task AGateWritten_HasItsTemplateBuiltBeforeTheWriteReturns_ItsFirstInvocationForksFromIt()
    {
        Assert.True(sandbox.Backend.UsesTemplates);
        await using var host = await WorkerHost.CreateAsync(_fs.Fs, sandbox.Backend, new WorkerOptions { Slots = 2, ImageCacheDirectory = _cache.Path });
        _fs.Fs.GateFunctionWritten = host.PrepareAsync;
        var before = sandbox.Backend.Templates;
        var image = await SquashImage.BuildAsync($$"""
            # {{Guid.NewGuid()}}: an image no other test's template was built for
            def handle(event, cloudcall):
                return {"ok": True}
            """);

        await _fs.CreateGateAsync("prepared", privilege: "T", clearance: "T", label: "T,T", image: image);

        Assert.Equal(before + 1, sandbox.Backend.Templates); // built before the write returned
        Assert.Equal(0, host.LiveVms); // prepared: no VM started, nothing invoked
        var reply = await host.Invoker.InvokeAsync(Request("prepared", "T"));
        Assert.Equal(InvocationStatus.Ok, reply.Status);
        Assert.Equal(before + 1, sandbox.Backend.Templates); // the invocation forked from it: no second build
    }

    [Fact]
    public async Task DisposeAsync_DrainsRunningInvocations_ThenDestroysTheVms()
    {
        var host = await WorkerHost.CreateAsync(_fs.Fs, sandbox.Backend, new WorkerOptions { Slots = 2, ImageCacheDirectory = _cache.Path });
        await _fs.CreateGateAsync("slow", privilege: "T", clearance: "T", label: "T,T", image: await SquashImage.BuildAsync("""
            import time

            def handle(event, cloudcall):
                time.sleep(0.5)
                return "done"
            """));
        await host.Invoker.InvokeAsync(Request("slow", "T"));
        var running = host.Invoker.InvokeAsync(Request("slow", "T")).AsTask();
        while (host.Running == 0)
        {
            await Task.Delay(10);
        }

        await host.DisposeAsync();

        Assert.Equal("\"done\"", (await running).BodyText);
        Assert.Equal(0, host.LiveVms);
        Assert.Equal(InvocationStatus.QueueFull, (await host.Invoker.InvokeAsync(Request("slow", "T"))).Status);
    }
}

using System.Diagnostics;
using Faasten.Fs;
using Faasten.Fs.Objects;
using Faasten.Worker.Execution;
using Faasten.Worker.Hosting;
using Faasten.Worker.Tests.Support;
using static Faasten.Worker.Tests.Support.FsHarness;

namespace Faasten.Worker.Tests.Execution;

/// <summary>Gates written through the file system have their VMs prepared before the write returns (issue 16).</summary>
public sealed class FunctionPreparerTests
{
    private static Task<FakeWorker> WorkerAsync() => FakeWorker.CreateAsync((_, _, _, _) => ValueTask.FromResult(FakeVmBackend.Ok("{}")));

    [Fact]
    public async Task CreatedAndUpdatedGates_ArePreparedBeforeTheWriteReturns_WithTheSpecTheirVmsStartFrom()
    {
        await using var worker = await WorkerAsync();
        worker.Fs.Fs.GateFunctionWritten = worker.Host.PrepareAsync;

        var first = await worker.Fs.CreateGateAsync("app", privilege: "T", clearance: "T", label: "T,T", memoryMb: 96);
        Assert.Equal(first.ImageHash, Assert.Single(worker.Backend.Prepared).TemplateKey);
        var second = new FunctionSpec(await worker.Fs.PutBlobAsync("a new image"u8.ToArray()), MemoryMb: 64);
        await Ok(worker.Fs.Fs.UpdateGateAsync(Super(), "app", C("T"), C("T"), second));

        Assert.Equal([first.ImageHash, second.ImageHash], worker.Backend.Prepared.Select(s => s.TemplateKey));
        Assert.Equal([96, 64], worker.Backend.Prepared.Select(s => s.MemoryMb));
        Assert.Equal(0, worker.Backend.Started); // preparing starts no VM, runs no invocation
    }

    [Fact]
    public async Task AGateRefused_IsNotPrepared()
    {
        await using var worker = await WorkerAsync();
        worker.Fs.Fs.GateFunctionWritten = worker.Host.PrepareAsync;
        var hash = await worker.Fs.PutBlobAsync("image"u8.ToArray());

        // bob may not delegate alice's privilege (rule 4): nothing is written, nothing prepared.
        var refused = await worker.Fs.Fs.CreateGateAsync(new SecurityContext(C("bob")), "bobs", C("alice"), C("T"), new FunctionSpec(hash));

        Assert.False(refused.IsOk);
        Assert.Empty(worker.Backend.Prepared);
    }

    [Fact]
    public async Task Attack_AFloodOfGateWrites_WaitsOnlyForTheQueuedBound_TheRestReturnAtOnce()
    {
        await using var worker = await WorkerAsync();
        worker.Backend.PrepareGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var function = new FunctionSpec(await worker.Fs.PutBlobAsync("image"u8.ToArray()));

        var first = worker.Host.PrepareAsync(function).AsTask();
        await worker.Backend.PrepareEntered.Task.WaitAsync(TimeSpan.FromSeconds(30)); // in progress, held
        var flood = Enumerable.Range(0, 10 * FunctionPreparer.MaxPending).Select(_ => worker.Host.PrepareAsync(function).AsTask()).ToList();

        Assert.All(flood.Take(FunctionPreparer.MaxPending), t => Assert.False(t.IsCompleted)); // queued: they wait
        Assert.All(flood.Skip(FunctionPreparer.MaxPending), t => Assert.True(t.IsCompleted)); // dropped: no wait at all
        worker.Backend.PrepareGate.SetResult();
        await Task.WhenAll(flood.Append(first)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1 + FunctionPreparer.MaxPending, worker.Backend.Prepared.Count);
    }

    [Fact]
    public async Task AStuckPreparation_HoldsTheWriterNoLongerThanPrepareWait()
    {
        await using var worker = await WorkerAsync();
        worker.Backend.PrepareGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        worker.Fs.Fs.GateFunctionWritten = worker.Host.PrepareAsync;

        var clock = Stopwatch.StartNew();
        await worker.Fs.CreateGateAsync("app", privilege: "T", clearance: "T", label: "T,T");

        Assert.InRange(clock.Elapsed, WorkerHost.PrepareWait - TimeSpan.FromMilliseconds(50), WorkerHost.PrepareWait * 4);
        Assert.Empty(worker.Backend.Prepared); // still held: the write returned without it
        worker.Backend.PrepareGate.SetResult();
    }
}

using BenchmarkDotNet.Attributes;
using Faasten.Protocol.Invocations;
using Faasten.Protocol.V1;
using Faasten.Worker.Scheduling;
using Google.Protobuf;

namespace Faasten.Benchmarks.Worker;

/// <summary>
/// What the label-oblivious scheduler adds to an invocation: queue, slot, dispatch and reply
/// routing around a runner that does nothing.
/// </summary>
[MemoryDiagnoser]
public class SchedulerDispatchBenchmarks
{
    private const int Concurrent = 64;
    private readonly InvocationRequest _request = new() { Id = "bench", GatePath = "noop", Payload = "{}"u8.ToArray(), InvokerPrivilege = Faasten.Labels.Component.True, PayloadLabel = Faasten.Labels.Label.Public };
    private InProcessScheduler _scheduler = null!;
    private InProcessScheduler _oneSlot = null!;

    [GlobalSetup]
    public void Setup()
    {
        _scheduler = new InProcessScheduler(new NoOpRunner(), new SchedulerOptions { Slots = 4, QueueCapacity = 1024 });
        _oneSlot = new InProcessScheduler(new NoOpRunner(), new SchedulerOptions { Slots = 1, QueueCapacity = 1024 });
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _scheduler.DisposeAsync();
        await _oneSlot.DisposeAsync();
    }

    /// <summary>One sync invocation at a time with a free slot: the runner starts on the caller's thread.</summary>
    [Benchmark]
    public async Task<InvocationStatus> InvokeSync() => (await _scheduler.InvokeAsync(_request)).Status;

    /// <summary>
    /// One slot, which the idle dispatcher holds: every invocation takes the queued path
    /// (queue → dispatcher → slot task → reply), as when all slots are busy.
    /// </summary>
    [Benchmark]
    public async Task<InvocationStatus> InvokeThroughQueue() => (await _oneSlot.InvokeAsync(_request)).Status;

    /// <summary>64 invocations in flight over 4 slots; time per invocation.</summary>
    [Benchmark(OperationsPerInvoke = Concurrent)]
    public async Task InvokeConcurrent()
    {
        var pending = new Task<InvocationReply>[Concurrent];
        for (var i = 0; i < pending.Length; i++)
        {
            pending[i] = _scheduler.InvokeAsync(_request).AsTask();
        }

        await Task.WhenAll(pending);
    }

    /// <summary>A nested sync call: runs in the caller's lent slot, no queue.</summary>
    [Benchmark]
    public async Task<InvocationStatus> InvokeNested() => (await _scheduler.InvokeAsync(_request with { Depth = 1 })).Status;

    private sealed class NoOpRunner : IInvoker
    {
        public ValueTask<InvocationReply> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken) =>
            ValueTask.FromResult(InvocationReply.Public(request.Id, InvocationStatus.Ok, ""));
    }
}

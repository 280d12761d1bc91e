using System.Diagnostics.Metrics;
using Faasten.Fs;
using Faasten.Fs.Records;
using Faasten.Labels;
using Faasten.Protocol.Invocations;
using Faasten.Protocol.V1;
using Google.Protobuf;
using static Faasten.Kernel.Tests.KernelAssert;
using static Faasten.Kernel.Tests.KernelHarness;

namespace Faasten.Kernel.Tests;

/// <summary>The kernel names each CloudCall for the taint trail, and counts calls by kind only.</summary>
public sealed class TrailStepsTests : IAsyncLifetime
{
    private const string AliceHome = "home:<alice,alice>";
    private KernelHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await CreateAsync();
        await Ok(_h.Fs.CreateFileAsync(Super(), $"{AliceHome}:notes", L("alice,alice"), "secret"u8.ToArray()));
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Read_Reply_AndTaint_AreEachAStepWithTheLabelAfterIt()
    {
        var trail = new TaintTrail();
        await using var kernel = new CloudCallKernel(_h.Fs, new SecurityContext(C("alice"), null, trail), _h.Invoker, _h.Http);
        _h.Invoker.Reply = InvocationReply.Public("", InvocationStatus.Ok, "{}") with { Label = L("carol,T") };

        await OkAsync(kernel, new() { FsRead = new() { Path = $"{AliceHome}:notes" } });
        await OkAsync(kernel, new() { FsRead = new() { Path = $"{AliceHome}:notes" } });
        await OkAsync(kernel, new() { Invoke = new() { Path = "home:<T,carol>:fn", Payload = ByteString.CopyFromUtf8("{}"), Sync = true } });
        await OkAsync(kernel, new() { TaintWithLabel = new() { Label = "dave,T" } });

        Assert.Equal(
            [
                ("read " + AliceHome + ":notes", "alice,T"),
                ("reply from home:<T,carol>:fn", "alice&carol,T"),
                ("taint", "alice&carol&dave,T"),
            ],
            trail.Steps.Select(s => (s.What, s.Label.ToString())));
    }

    [Fact]
    public async Task CloudCalls_AreCountedByKind_WithNoOtherTag()
    {
        using var meter = new Meter("test-kinds-" + Guid.NewGuid().ToString("N"));
        var counter = meter.CreateCounter<long>("calls");
        var seen = new List<KeyValuePair<string, object?>[]>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument == counter)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) => seen.Add(tags.ToArray()));
        listener.Start();
        await using var kernel = new CloudCallKernel(_h.Fs, new SecurityContext(C("alice")), _h.Invoker, _h.Http, kinds: new CloudCallKinds(counter));

        await OkAsync(kernel, new() { FsRead = new() { Path = $"{AliceHome}:notes" } });
        await FailsAsync(kernel, new() { FsRead = new() { Path = $"{AliceHome}:no-such-secret-name" } }, CloudCallErrorCode.NotFound);

        Assert.Equal(2, seen.Count);
        Assert.All(seen, tags => Assert.Equal(new KeyValuePair<string, object?>("kind", "fs_read"), Assert.Single(tags)));
    }
}

using Faasten.Fs.Objects;
using Faasten.Gateway.Events;
using Faasten.Gateway.Tests.TestSupport;
using Faasten.Labels;
using Faasten.Tests.Common;

namespace Faasten.Gateway.Tests.Events;

public sealed class DeliveryLogTests
{
    private static readonly Trigger Hook = new(Label.Public, "secret", "home:<T,alice>:gate", Component.Parse("alice"), Label.Parse("alice,alice"));
    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public void TryClaim_SameDeliveryWithinTheWindow_IsAReplay_AfterItIsNot()
    {
        var log = Log(window: TimeSpan.FromHours(24));

        Assert.True(log.TryClaim(Hook, "d1", out _));
        _clock.Advance(TimeSpan.FromHours(23));
        Assert.False(log.TryClaim(Hook, "d1", out _));
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.True(log.TryClaim(Hook, "d1", out _));
    }

    [Fact]
    public void TryClaim_SameIdForATriggerThatRunsSomethingElse_IsNoReplay()
    {
        var log = Log();

        Assert.True(log.TryClaim(Hook, "d1", out _));
        Assert.True(log.TryClaim(Hook with { GatePath = "home:<T,alice>:other" }, "d1", out _));
        Assert.True(log.TryClaim(Hook with { Secret = "another" }, "d1", out _));
        Assert.False(log.TryClaim(Hook with { TriggerLabel = Label.Parse("alice,alice") }, "d1", out _)); // same effect: the same trigger
    }

    [Fact]
    public void TryClaim_PastTheCap_ForgetsTheOldestFirst()
    {
        var log = Log(max: 2);

        Assert.True(log.TryClaim(Hook, "d1", out _));
        Assert.True(log.TryClaim(Hook, "d2", out _));
        Assert.True(log.TryClaim(Hook, "d3", out _));

        Assert.False(log.TryClaim(Hook, "d3", out _));
        Assert.False(log.TryClaim(Hook, "d2", out _));
        Assert.True(log.TryClaim(Hook, "d1", out _));
    }

    [Fact]
    public void Forget_AFailedDelivery_MayBeRedelivered()
    {
        var log = Log();
        Assert.True(log.TryClaim(Hook, "d1", out var claim));

        log.Forget(claim);

        Assert.True(log.TryClaim(Hook, "d1", out _));
    }

    private DeliveryLog Log(TimeSpan? window = null, int max = 1000) =>
        new(new GatewayOptions { WebhookReplay = new() { Window = window ?? TimeSpan.FromHours(24), MaxDeliveries = max } }, _clock);
}

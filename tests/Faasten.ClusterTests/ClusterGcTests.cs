using System.Net;
using Amazon.S3.Model;
using Faasten.ClusterTests.Stack;
using Faasten.FunctionalTests.Stack;
using Faasten.Tests.Common.Engines;

namespace Faasten.ClusterTests;

/// <summary>Garbage collection runs in the cluster's gateways as in <c>faasten serve</c>: an unlinked blob leaves S3, a linked one stays.</summary>
public sealed class ClusterGcTests
{
    [Fact]
    public async Task Gateways_CollectInTheBackground_AnUnlinkedBlobLeavesS3_ALinkedOneStays()
    {
        await using var stack = await ClusterStack.StartAsync(new ClusterShape { Workers = 0, ExtraConfig = "gc: {grace: 1s, interval: 1s}\n" }, "alice");
        using var alice = await stack.SignInAsync("alice", 0);
        var kept = await alice.PutBlobAsync("home:<alice,alice>:kept", "kept bytes"u8.ToArray(), "alice,alice");
        var dropped = await alice.PutBlobAsync("home:<alice,alice>:dropped", "dropped bytes"u8.ToArray(), "alice,alice");
        using (var unlinked = await alice.DeleteAsync($"/fs?path={Api.Q("home:<alice,alice>:dropped")}"))
        {
            Assert.Equal(HttpStatusCode.OK, unlinked.StatusCode);
        }

        using var s3 = S3Server.NewClient(stack.S3Endpoint);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        List<string> keys;
        while (true)
        {
            keys = (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = stack.Bucket })).S3Objects?.Select(o => o.Key).ToList() ?? [];
            if (!keys.Any(k => k.EndsWith(dropped, StringComparison.Ordinal)) || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(250);
        }

        await stack.WithDiagnosticsAsync(async () =>
        {
            Assert.DoesNotContain(keys, k => k.EndsWith(dropped, StringComparison.Ordinal));
            Assert.Contains(keys, k => k.EndsWith(kept, StringComparison.Ordinal));
            Assert.Equal("kept bytes", await alice.GetStringAsync($"/fs/blob?path={Api.Q("home:<alice,alice>:kept")}"));
            // Both gateways collect (overlapping rounds are safe), as the log of each shows.
            Assert.Contains("Garbage collection: objects:", stack.GatewayOutput(0), StringComparison.Ordinal);
            Assert.Contains("Garbage collection: objects:", stack.GatewayOutput(1), StringComparison.Ordinal);
        });
    }
}

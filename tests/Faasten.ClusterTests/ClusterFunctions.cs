using System.Net;
using System.Net.Http.Json;
using Faasten.FunctionalTests.Stack;

namespace Faasten.ClusterTests;

/// <summary>The functions the cluster tests register, built as <c>fstn build</c> builds them.</summary>
internal static class ClusterFunctions
{
    /// <summary>Calls itself n times, nested sync: the chain holds one slot per level unless slots are lent.</summary>
    public const string Chain = """
        def handle(event, cloudcall):
            n = event["n"]
            if n == 0:
                return {"depth": 0}
            inner = cloudcall.invoke(event["self"], {"n": n - 1, "self": event["self"]})
            return {"depth": inner["depth"] + 1}
        """;

    /// <summary>Sleeps (costing no CPU) and returns what it was given.</summary>
    public const string Sleeper = """
        import time


        def handle(event, cloudcall):
            time.sleep(event.get("seconds", 0))
            return {"echo": event.get("echo")}
        """;

    /// <summary>Reads a file of the caller's and returns its text.</summary>
    public const string Reader = """
        def handle(event, cloudcall):
            return {"text": cloudcall.fs_read(event["path"]).decode("utf-8")}
        """;

    /// <summary>Uploads the image and registers a gate of alice's running it.</summary>
    /// <remarks>A gate's privilege may declassify what it owns: alice/NAME cannot declassify alice's data, alice can.</remarks>
    public static async Task RegisterAsync(HttpClient alice, string name, string workload, string privilege = "alice", string clearance = "alice")
    {
        var image = $"home:<T,alice>:{name}.img";
        _ = await alice.PutBlobAsync(image, await FunctionImage.FromWorkloadAsync(workload));
        using var created = await alice.PostAsJsonAsync("/gates", new { path = $"home:<T,alice>:{name}", blob = image, privilege, clearance, memory = 64, timeout = 120_000 });
        await created.OkJsonAsync(HttpStatusCode.Created);
    }
}

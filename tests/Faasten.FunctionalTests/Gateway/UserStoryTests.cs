using System.Net;
using System.Net.Http.Json;
using Faasten.FunctionalTests.Stack;
using static Faasten.FunctionalTests.Stack.Api;

namespace Faasten.FunctionalTests.Gateway;

/// <summary>
/// The seed's user story over HTTP against the whole stack, with the real gen-thumb function in
/// a bubblewrap VM: alice logs in, uploads a private photo and the function image, registers
/// the gate, invokes it sync and async and reads her thumbnails; bob gets nothing of hers.
/// </summary>
public sealed class UserStoryTests(EmbeddedStack stack) : IClassFixture<EmbeddedStack>
{
    // Reads a blob and returns its size: run with a privilege that cannot declassify alice, so
    // whatever it learns of her stays hers.
    private const string Peek = """
        def handle(event, cloudcall):
            with cloudcall.fs_openblob(event["path"]) as blob:
                return {"size": len(blob.read())}
        """;

    [Fact]
    public async Task Alice_GeneratesThumbnails_SyncAndAsync_AndBobSeesNothing()
    {
        using var alice = await stack.LoginAsync("alice");
        var me = await (await alice.GetAsync("/auth/me")).OkJsonAsync();
        Assert.Equal("alice", me.GetProperty("privilege").GetString());

        // Her photo, private.
        var photo = await File.ReadAllBytesAsync(Path.Combine(Repository.Example("gen-thumb"), "photo.jpg"));
        await alice.PutBlobAsync("home:<alice,alice>:photo.jpg", photo);

        // The function image, public to read, hers to change; and the gate.
        await (await alice.PostAsync($"/fs/dir?path={Q("home:<T,alice>:images")}", null)).OkJsonAsync(HttpStatusCode.Created);
        const string image = "home:<T,alice>:images:gen-thumb.img";
        _ = await alice.PutBlobAsync(image, await FunctionImage.BuildAsync(Repository.Example("gen-thumb")));
        var gate = await (await alice.PostAsJsonAsync("/gates", new { path = "home:<T,alice>:gen-thumb", blob = image, privilege = "alice", clearance = "alice", memory = 256 }))
            .OkJsonAsync(HttpStatusCode.Created);
        Assert.Equal("home:<T,alice>:gen-thumb", gate.GetProperty("path").GetString());

        // Sync.
        await (await alice.PostAsync($"/fs/dir?path={Q("home:<alice,alice>:thumbs")}", null)).OkJsonAsync(HttpStatusCode.Created);
        using (var sync = await alice.PostAsJsonAsync("/invoke", new { path = "home:<T,alice>:gen-thumb", payload = new { input = "home:<alice,alice>:photo.jpg", output_dir = "home:<alice,alice>:thumbs", sizes = new[] { new[] { 128, 128 }, new[] { 64, 64 } } } }))
        {
            await sync.OkJsonAsync();
        }

        var listing = await (await alice.GetAsync($"/fs/list?path={Q("home:<alice,alice>:thumbs")}")).OkJsonAsync();
        var names = listing.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("name").GetString()!).Order().ToArray();
        Assert.Equal(["128-128.jpeg", "64-64.jpeg"], names);
        using (var thumb = await alice.GetAsync($"/fs/blob?path={Q("home:<alice,alice>:thumbs:64-64.jpeg")}"))
        {
            Assert.Equal(HttpStatusCode.OK, thumb.StatusCode);
            var bytes = await thumb.Content.ReadAsByteArrayAsync();
            Assert.Equal([0xFF, 0xD8], bytes[..2]);
            Assert.StartsWith("alice,", thumb.Headers.GetValues("Faasten-Label").Single(), StringComparison.Ordinal);
        }

        // Async.
        await (await alice.PostAsync($"/fs/dir?path={Q("home:<alice,alice>:small")}", null)).OkJsonAsync(HttpStatusCode.Created);
        var submitted = await (await alice.PostAsJsonAsync("/invoke", new { path = "home:<T,alice>:gen-thumb", payload = new { input = "home:<alice,alice>:photo.jpg", output_dir = "home:<alice,alice>:small", sizes = new[] { new[] { 32, 32 } } }, sync = false }))
            .OkJsonAsync(HttpStatusCode.Accepted);
        var id = submitted.GetProperty("id").GetString()!;
        using (var result = await alice.WaitForResultAsync(id))
        {
            await result.OkJsonAsync();
        }

        Assert.Equal("32-32.jpeg", (await (await alice.GetAsync($"/fs/list?path={Q("home:<alice,alice>:small")}")).OkJsonAsync()).GetProperty("entries")[0].GetProperty("name").GetString());

        // Bob: not her photo, not her thumbnails by any route, not even their names; not her gate.
        using var bob = await stack.LoginAsync("bob");
        foreach (var route in new[]
        {
            $"/fs/blob?path={Q("home:<alice,alice>:photo.jpg")}",
            $"/fs/blob?path={Q("home:<alice,alice>:thumbs:64-64.jpeg")}",
            $"/fs/list?path={Q("home:<alice,alice>:thumbs")}",
            $"/fs/stat?path={Q("home:<alice,alice>:thumbs:64-64.jpeg")}",
            $"/fs/stat?path={Q("home:<alice,alice>:thumbs:no-such.jpeg")}",
        })
        {
            using var response = await bob.GetAsync(route);
            await response.AssertWithheldAsync();
        }

        using (var forbidden = await bob.PostAsJsonAsync("/invoke", new { path = "home:<T,alice>:gen-thumb", payload = new { input = "home:<alice,alice>:photo.jpg", output_dir = "home:<bob,bob>", sizes = new[] { new[] { 8, 8 } } } }))
        {
            await forbidden.AssertErrorAsync(HttpStatusCode.Forbidden, "forbidden");
        }
    }

    [Fact]
    public async Task ResultsAndErrorsLabeledAlice_AreWithheldFromBob()
    {
        using var alice = await stack.LoginAsync("alice");
        using var bob = await stack.LoginAsync("bob");
        await alice.PutBlobAsync("home:<alice,alice>:diary.bin", new byte[1234]);
        const string image = "home:<T,alice>:peek.img";
        _ = await alice.PutBlobAsync(image, await FunctionImage.FromWorkloadAsync(Peek));
        // Anyone may run it (clearance T), but alice/peek cannot declassify alice.
        await (await alice.PostAsJsonAsync("/gates", new { path = "home:<T,alice>:peek", blob = image, privilege = "alice/peek", clearance = "T" }))
            .OkJsonAsync(HttpStatusCode.Created);
        var payload = new { path = "home:<alice,alice>:diary.bin" };

        using (var forAlice = await alice.PostAsJsonAsync("/invoke", new { path = "home:<T,alice>:peek", payload }))
        {
            Assert.Equal(1234, (await forAlice.OkJsonAsync()).GetProperty("size").GetInt32());
        }

        using (var forBob = await bob.PostAsJsonAsync("/invoke", new { path = "home:<T,alice>:peek", payload }))
        {
            Assert.DoesNotContain("1234", await forBob.AssertWithheldAsync(), StringComparison.Ordinal);
        }

        var id = (await (await bob.PostAsJsonAsync("/invoke", new { path = "home:<T,alice>:peek", payload, sync = false })).OkJsonAsync(HttpStatusCode.Accepted)).GetProperty("id").GetString()!;
        using (var asyncForBob = await bob.WaitForResultAsync(id))
        {
            await asyncForBob.AssertWithheldAsync();
        }

        // An error learned under alice's label (her missing file) is withheld too; alice sees it.
        var missing = new { path = "home:<alice,alice>:no-such-file" };
        using (var errorForBob = await bob.PostAsJsonAsync("/invoke", new { path = "home:<T,alice>:peek", payload = missing }))
        {
            await errorForBob.AssertWithheldAsync();
        }

        using (var errorForAlice = await alice.PostAsJsonAsync("/invoke", new { path = "home:<T,alice>:peek", payload = missing }))
        {
            Assert.Contains("no-such-file", await errorForAlice.AssertErrorAsync(HttpStatusCode.BadGateway, "function_error"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task GateOverABlobThatIsNoImage_Crashes_WithoutHostDetail()
    {
        // The gateway refuses such a gate; a function's fs_creategate with a blob it made does not
        // look inside, so the worker meets it and must not hand the extractor's text (host paths) on.
        const string maker = """
            def handle(event, cloudcall):
                with cloudcall.create_blob() as blob:
                    digest = blob.finalize(b"plain text, no squashfs")
                cloudcall.fs_creategate("home:<T,alice>:not-image", digest, "alice", "alice", label="T,alice")
                return {"ok": True}
            """;
        using var alice = await stack.LoginAsync("alice");
        const string image = "home:<T,alice>:maker.img";
        _ = await alice.PutBlobAsync(image, await FunctionImage.FromWorkloadAsync(maker));
        await (await alice.PostAsJsonAsync("/gates", new { path = "home:<T,alice>:maker", blob = image, privilege = "alice", clearance = "alice" })).OkJsonAsync(HttpStatusCode.Created);
        await (await alice.PostAsJsonAsync("/invoke", new { path = "home:<T,alice>:maker", payload = new { } })).OkJsonAsync();

        using var crashed = await alice.PostAsJsonAsync("/invoke", new { path = "home:<T,alice>:not-image", payload = new { } });
        var message = await crashed.AssertErrorAsync(HttpStatusCode.BadGateway, "crashed");
        Assert.Equal("the gate's image is not a function image (a SquashFS image made by 'fstn build')", message);
    }

    [Fact]
    public async Task Webhook_SignedDelivery_RunsTheFunction_UnsignedRunsNothing()
    {
        using var alice = await stack.LoginAsync("alice");
        const string record = """
            def handle(event, cloudcall):
                path = "home:<T,alice>:hooks-seen:" + event["delivery"]
                cloudcall.fs_createfile(path, label="T,alice")
                cloudcall.fs_write(path, event["event"] + ":" + event["body"]["ref"])
                return {"ok": True}
            """;
        await (await alice.PostAsync($"/fs/dir?path={Q("home:<T,alice>:hooks-seen")}", null)).OkJsonAsync(HttpStatusCode.Created);
        const string image = "home:<T,alice>:record.img";
        _ = await alice.PutBlobAsync(image, await FunctionImage.FromWorkloadAsync(record));
        await (await alice.PostAsJsonAsync("/gates", new { path = "home:<T,alice>:record", blob = image, privilege = "alice", clearance = "alice" })).OkJsonAsync(HttpStatusCode.Created);
        await (await alice.PostAsJsonAsync("/fs/trigger", new { path = "home:<T,alice>:github", secret = "hook-secret", gate = "home:<T,alice>:record", privilege = "alice", payloadLabel = "T,T" }))
            .OkJsonAsync(HttpStatusCode.Created);

        const string body = "{\"ref\":\"refs/heads/main\"}";
        using var sender = stack.Anonymous();
        using (var signed = await sender.SendAsync(Delivery(body, Sign("hook-secret", body), "signed-1")))
        {
            var id = (await signed.OkJsonAsync(HttpStatusCode.Accepted)).GetProperty("id").GetString()!;
            using var result = await alice.WaitForResultAsync(id);
            await result.OkJsonAsync();
        }

        Assert.Equal("push:refs/heads/main", await alice.GetStringAsync($"/fs/file?path={Q("home:<T,alice>:hooks-seen:signed-1")}"));

        using (var forged = await sender.SendAsync(Delivery(body, Sign("wrong-secret", body), "forged-1")))
        {
            await forged.AssertErrorAsync(HttpStatusCode.Unauthorized, "unauthorized");
        }

        using (var unsigned = await sender.SendAsync(Delivery(body, null, "unsigned-1")))
        {
            await unsigned.AssertErrorAsync(HttpStatusCode.Unauthorized, "unauthorized");
        }

        await Task.Delay(500);
        var seen = (await (await alice.GetAsync($"/fs/list?path={Q("home:<T,alice>:hooks-seen")}")).OkJsonAsync()).GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("name").GetString()!).ToArray();
        Assert.Equal(["signed-1"], seen);
    }

    private static HttpRequestMessage Delivery(string body, string? signature, string delivery)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/hooks/" + Q("home:<T,alice>:github")) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("X-GitHub-Event", "push");
        request.Headers.Add("X-GitHub-Delivery", delivery);
        if (signature is not null)
        {
            request.Headers.Add("X-Hub-Signature-256", signature);
        }

        return request;
    }

    private static string Sign(string secret, string body) =>
        "sha256=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret), System.Text.Encoding.UTF8.GetBytes(body)));
}

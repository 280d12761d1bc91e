using System.Text.Json;
using Faasten.Fs;
using Faasten.Protocol.Invocations;
using Faasten.Protocol.Labels;
using Faasten.Protocol.V1;
using Faasten.Tests.Common;
using Faasten.Worker.Hosting;
using Faasten.Worker.Tests.Support;
using static Faasten.Worker.Tests.Support.FsHarness;

namespace Faasten.Worker.Tests.Hosting;

/// <summary>Issue 5's security properties, on real bubblewrap VMs running Python.</summary>
public sealed class WorkerHostSecurityTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    [Fact]
    public async Task InvokerWithoutTheClearance_IsForbidden_AndTheFunctionNeverRuns()
    {
        await using var w = await SandboxWorker.CreateAsync(sandbox.Backend);
        await Ok(w.Fs.Fs.CreateFileAsync(Super(), "home:<alice,alice>:ran", L("alice,alice"), "no"u8.ToArray()));
        await w.CreateGateAsync("home:<alice,alice>:app", """
            def handle(event, cloudcall):
                cloudcall.fs_write("home:<alice,alice>:ran", b"yes")
                return "ran"
            """, privilege: "alice", clearance: "alice", label: "alice,alice");

        var bob = await w.InvokeAsync("home:<alice,alice>:app", privilege: "bob");

        Assert.Equal(InvocationStatus.Forbidden, bob.Status);
        Assert.Equal("no"u8.ToArray(), (await w.Fs.Fs.ReadFileAsync(Super(), "home:<alice,alice>:ran")).Value);
        Assert.Equal(0, w.Host.LiveVms);

        // The same request with alice's privilege runs and leaves its mark.
        var alice = await w.InvokeAsync("home:<alice,alice>:app", privilege: "alice");
        Assert.Equal(InvocationStatus.Ok, alice.Status);
        Assert.Equal("yes"u8.ToArray(), (await w.Fs.Fs.ReadFileAsync(Super(), "home:<alice,alice>:ran")).Value);
    }

    [Fact]
    public async Task VmThatServedAlicesPrivateRequest_IsNeverReusedForAPublicOne()
    {
        await using var w = await SandboxWorker.CreateAsync(sandbox.Backend);
        await w.CreateGateAsync("app", """
            remembered = None

            def handle(event, cloudcall):
                global remembered
                seen = remembered
                if "secret" in event:
                    remembered = event["secret"]
                return {"seen": seen}
            """);

        var alice = await w.InvokeAsync("app", privilege: "alice", payloadLabel: "alice,alice", payload: """{"secret": "alice-diary"}""");
        var bob = await w.InvokeAsync("app", privilege: "bob");
        var aliceAgain = await w.InvokeAsync("app", privilege: "alice", payloadLabel: "alice,alice");

        Assert.Equal(InvocationStatus.Ok, bob.Status);
        Assert.Equal(JsonValueKind.Null, Seen(bob));
        Assert.True(SecurityContext.CanRelease(bob.Label, L("T,T"), C("bob")));
        // Control: alice's VM is warm and does remember, so the empty result above is isolation, not a cold start by chance.
        Assert.Equal(JsonValueKind.Null, Seen(alice));
        Assert.Equal("alice-diary", JsonDocument.Parse(aliceAgain.Body).RootElement.GetProperty("seen").GetString());
        Assert.Equal(2, w.Host.LiveVms);
    }

    [Fact]
    public async Task ResultLabeledAlice_IsReleasableToAliceButNotToBob()
    {
        await using var w = await SandboxWorker.CreateAsync(sandbox.Backend);
        await w.CreateGateAsync("app", """
            def handle(event, cloudcall):
                return {"label": cloudcall.get_current_label()}
            """);

        var reply = await w.InvokeAsync("app", privilege: "alice", payloadLabel: "alice,alice");

        Assert.Equal(InvocationStatus.Ok, reply.Status);
        var label = reply.Label;
        Assert.Equal(L("alice,T"), label);
        Assert.False(SecurityContext.CanRelease(label, L("T,T"), C("bob")));
        Assert.True(SecurityContext.CanRelease(label, L("T,T"), C("alice")));
    }

    [Fact]
    public async Task GateDeclassify_LimitsWhatTheOutputMayShed()
    {
        await using var w = await SandboxWorker.CreateAsync(sandbox.Backend);
        await Ok(w.Fs.Fs.CreateFileAsync(Super(), "shared", L("alice&bob,T"), "joint secret"u8.ToArray()));
        const string reader = """
            def handle(event, cloudcall):
                return cloudcall.fs_read("shared").decode()
            """;
        await w.CreateGateAsync("limited", reader, privilege: "alice&bob", declassify: "alice");
        await w.CreateGateAsync("full", reader, privilege: "alice&bob");

        var limited = await w.InvokeAsync("limited");
        var full = await w.InvokeAsync("full");

        Assert.Equal("\"joint secret\"", limited.BodyText);
        Assert.Equal(C("bob"), limited.Label.Secrecy);
        Assert.False(SecurityContext.CanRelease(limited.Label, L("T,T"), C("alice")));
        Assert.Equal(C("T"), full.Label.Secrecy);
    }

    // An honest caching app: the first call reads alice's diary, keeps it in a module global and
    // releases five characters by declassifying (its gate holds alice's privilege); any later call
    // answers from the cache.
    private const string CachingApp = """
        cache = None

        def handle(event, cloudcall):
            global cache
            if event.get("read"):
                cache = cloudcall.fs_read("home:<alice,alice>:diary").decode()
                cloudcall.declassify("T")
                return {"preview": cache[:5]}
            return {"cached": cache}
        """;

    /// <summary>
    /// Issue 12 item 5, as the attack, first half: a VM went back to the pool tagged with its
    /// label after declassify() (public), so bob's public call of the same gate reused it and
    /// got the whole cached diary. The VM's tag is the highest label it held.
    /// </summary>
    [Fact]
    public async Task Attack_AVmIsNotRetaggedDownByDeclassify()
    {
        await using var w = await SandboxWorker.CreateAsync(sandbox.Backend);
        await Ok(w.Fs.Fs.CreateFileAsync(Super(), "home:<alice,alice>:diary", L("alice,alice"), "dear diary, the code is 4711"u8.ToArray()));
        await w.CreateGateAsync("cache", CachingApp, privilege: "alice", declassify: "alice");

        var alice = await w.InvokeAsync("cache", privilege: "alice", payload: """{"read": true}""");
        var bob = await w.InvokeAsync("cache", privilege: "bob");
        var aliceAgain = await w.InvokeAsync("cache", privilege: "alice", payloadLabel: "alice,T");

        Assert.Equal("dear ", JsonDocument.Parse(alice.Body).RootElement.GetProperty("preview").GetString());
        Assert.Equal(C("T"), alice.Label.Secrecy);
        Assert.Equal(InvocationStatus.Ok, bob.Status);
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(bob.Body).RootElement.GetProperty("cached").ValueKind);
        // Control: the VM is alive and remembers; it serves exactly the label it was tagged with.
        Assert.Equal("dear diary, the code is 4711", JsonDocument.Parse(aliceAgain.Body).RootElement.GetProperty("cached").GetString());
    }

    /// <summary>
    /// Issue 12 item 5, second half: VMs were pooled by image, so bob's gate over the same image
    /// as alice's reused the VM her gate had declassified from. VMs are pooled per gate.
    /// </summary>
    [Fact]
    public async Task Attack_TwoGatesOverTheSameImageNeverShareAVm()
    {
        await using var w = await SandboxWorker.CreateAsync(sandbox.Backend);
        await Ok(w.Fs.Fs.CreateFileAsync(Super(), "home:<alice,alice>:diary", L("alice,alice"), "dear diary, the code is 4711"u8.ToArray()));
        await w.CreateGateAsync("alice-app", CachingApp, privilege: "alice", declassify: "alice");
        await w.CreateGateAsync("bob-app", CachingApp, privilege: "bob");

        var alice = await w.InvokeAsync("alice-app", privilege: "alice", payload: """{"read": true}""");
        var bob = await w.InvokeAsync("bob-app", privilege: "bob", payloadLabel: "alice,T");

        Assert.Equal(InvocationStatus.Ok, alice.Status);
        Assert.Equal(InvocationStatus.Ok, bob.Status);
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(bob.Body).RootElement.GetProperty("cached").ValueKind);
        Assert.Equal(2, w.Host.LiveVms);
    }

    private static JsonValueKind Seen(InvocationReply reply) =>
        JsonDocument.Parse(reply.Body).RootElement.GetProperty("seen").ValueKind;

    /// <summary>
    /// Spares on real VMs (the product default, <see cref="WorkerOptions.SpareVms"/> = 1): after
    /// alice's cold start the next request at her label runs on a VM started before it arrived
    /// (its module was imported well before the call) that has run nothing (its counter is 1,
    /// its random state its own); bob's public request never gets her spare.
    /// </summary>
    [Fact]
    public async Task Spares_OnRealVms_HaveRunNothing_AndServeOnlyTheirOwnLabel()
    {
        await using var w = await SandboxWorker.CreateAsync(sandbox.Backend, spares: 1);
        await w.CreateGateAsync("app", """
            import os
            import random
            import time

            imported = time.monotonic()
            drawn = random.random()
            calls = 0

            def handle(event, cloudcall):
                global calls
                calls += 1
                # A fresh label each call: no VM that ran can serve another request.
                cloudcall.taint_with_label("fresh/" + os.urandom(8).hex() + ",T")
                return {"calls": calls, "age_ms": (time.monotonic() - imported) * 1000, "drawn": drawn}
            """, privilege: "alice");

        var first = Body(await w.InvokeAsync("app", privilege: "alice", payloadLabel: "alice,T"));
        await Poll.UntilAsync(() => w.Host.IdleSpares == 1, TimeSpan.FromSeconds(30));
        await Task.Delay(500); // the spare's age: what tells it from a VM started for the request
        var second = Body(await w.InvokeAsync("app", privilege: "alice", payloadLabel: "alice,T"));
        var bob = Body(await w.InvokeAsync("app", privilege: "bob", payloadLabel: "T,T"));

        Assert.Equal(1, first.GetProperty("calls").GetInt32());
        Assert.Equal(1, second.GetProperty("calls").GetInt32());
        Assert.True(second.GetProperty("age_ms").GetDouble() >= 500, $"the second request's VM was {second.GetProperty("age_ms")} ms old: not the spare");
        Assert.NotEqual(first.GetProperty("drawn").GetDouble(), second.GetProperty("drawn").GetDouble());
        Assert.Equal(1, bob.GetProperty("calls").GetInt32());
        Assert.True(bob.GetProperty("age_ms").GetDouble() < 500, $"bob's VM was {bob.GetProperty("age_ms")} ms old: alice's spare");

        static JsonElement Body(InvocationReply reply)
        {
            Assert.True(reply.Status == InvocationStatus.Ok, reply.BodyText);
            return JsonDocument.Parse(reply.BodyText).RootElement;
        }
    }
}

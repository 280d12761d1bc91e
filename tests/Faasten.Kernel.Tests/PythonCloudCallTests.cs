using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Faasten.Fs;
using Faasten.Kernel;
using Faasten.Kernel.Tests.Support;
using Faasten.Protocol.Invocations;
using Faasten.Protocol.Labels;
using Faasten.Protocol.V1;
using Faasten.Tests.Common.Http;
using Google.Protobuf;
using static Faasten.Kernel.Tests.KernelHarness;

namespace Faasten.Kernel.Tests;

/// <summary>
/// Every CloudCall made from Python in a real bubblewrap VM and served by the real kernel on
/// SQLite + local blobs: once allowed, once denied (checking the typed Python exception).
/// Each scenario is one function, so the suite starts only a few VMs.
/// </summary>
public sealed class PythonCloudCallTests(VmFixture vms) : IClassFixture<VmFixture>, IAsyncLifetime
{
    private readonly LoopbackHttpServer _server = new();
    private KernelHarness _h = null!;
    private string _image = null!;

    public async Task InitializeAsync()
    {
        _h = await CreateAsync();
        _image = "home:<T,alice>:image.img";
        await Ok(_h.Fs.LinkBlobAsync(Super(), _image, await _h.PutBlobAsync("not really an image"u8.ToArray()), L("T,alice")));
        await Ok(_h.Fs.CreateFileAsync(Super(), "home:<T,alice>:public", L("T,alice")));
        await Ok(_h.Fs.CreateFileAsync(Super(), "home:<bob,bob>:secret", L("bob,bob"), "bob's secret"u8.ToArray()));
        await ServiceAsync("home:<T,alice>:alice-only", $"{_server.BaseUrl}/a", "T,T", "alice", "alice");
        await ServiceAsync("home:<T,bob>:public-sink", $"{_server.BaseUrl}/sink", "T,T", "bob", "bob");
        await ServiceAsync("home:<T,bob>:templated", $"{_server.BaseUrl}/t/{{x}}", "T,T", "bob", "bob");
        await ServiceAsync("home:<T,bob>:down", "http://127.0.0.1:9/", "T,T", "bob", "bob");
    }

    public async Task DisposeAsync()
    {
        _server.Dispose();
        await _h.DisposeAsync();
    }

    private Task ServiceAsync(string path, string url, string taint, string privilege, string clearance) =>
        Ok(_h.Fs.CreateServiceAsync(Super(), path, new ServiceSpec(url, "POST", ImmutableSortedDictionary<string, string>.Empty.Add("X-Key", "k3y"), L(taint), C(privilege), C(clearance))));

    private const string AllowedWorkload = """
        import hashlib

        HOME = "home:<alice,alice>"

        def handle(event, cc):
            r = {"label0": cc.get_current_label(), "privilege0": cc.get_privilege()}
            cc.fs_createdir(HOME + ":work", label="alice,alice")
            cc.fs_createfile(HOME + ":work:notes")
            cc.fs_write(HOME + ":work:notes", b"hello")
            r["read"] = cc.fs_read(HOME + ":work:notes").decode()
            cc.fs_createfaceted(HOME + ":work:fd")
            cc.fs_createfile(HOME + ":work:fd:<alice,alice>:x", label="alice,alice")
            r["faceted"] = cc.fs_faceted_list(HOME + ":work:fd", clearance="alice,alice")
            cc.fs_hardlink(HOME + ":work:notes", HOME + ":work:notes2")
            r["list"] = cc.fs_list(HOME + ":work")
            cc.fs_delete(HOME + ":work:notes2")

            data = bytes(range(256)) * (3 * 4096 + 17)
            with cc.create_blob(HOME + ":work:big") as blob:
                blob.write(data)
                r["hash"] = blob.finalize(b"tail")
            with cc.fs_openblob(HOME + ":work:big") as f:
                f.seek(1000)
                r["at1000"] = list(f.read(4))
                f.seek(0)
                r["sha"] = hashlib.sha256(f.read()).hexdigest()
                r["size"] = f.size
            with cc.create_blob() as blob:
                loose = blob.finalize(b"loose")
            cc.fs_linkblob(HOME + ":work:loose", loose, label="alice,alice")

            cc.fs_creategate(HOME + ":work:gate", event["image"], "alice/fn", "alice", memory=64)
            cc.fs_createredirectgate(HOME + ":work:alias", HOME + ":work:gate", "alice/fn", "T")
            cc.fs_createservice(HOME + ":work:svc", event["url"] + "/echo/{x}", "alice,T", "alice", "alice",
                                verb="PUT", headers={"X-Key": "k3y"})
            resp = cc.invoke_service(HOME + ":work:svc", b"ping", {"x": "a b"})
            r["service"] = [resp.status, resp.body.decode()]

            r["invoke"] = cc.invoke(HOME + ":work:gate", {"a": 1})
            r["invoke_async"] = cc.invoke(HOME + ":work:alias", {"a": 2}, sync=False)
            r["after_invoke"] = cc.get_current_label()
            r["declassify"] = cc.declassify("carol")
            r["endorse"] = cc.endorse()
            r["sub_privilege"] = cc.sub_privilege("pma")
            r["taint"] = cc.taint_with_label("bob,T")
            return r
        """;

    private const string ListingWorkload = """
        def handle(event, cc):
            everything = cc.fs_list("home:<alice,alice>:big")
            pages = [len(p) for p in cc.fs_list_pages("home:<alice,alice>:big", limit=400)]
            return {"count": len(everything), "first": min(everything), "last": max(everything), "pages": pages}
        """;

    [Fact]
    public async Task FsList_DirectoryLargerThanAPage_ReturnsEveryEntry_FsListPagesYieldsPages()
    {
        await Ok(_h.Fs.CreateDirectoryAsync(Super(), "home:<alice,alice>:big", L("alice,alice")));
        await Task.WhenAll(Enumerable.Range(0, FileSystem.MaxPageSize + 5).Select(i =>
            Ok(_h.Fs.CreateFileAsync(Super(), $"home:<alice,alice>:big:f{i:D4}", L("alice,alice")))));

        var r = await vms.RunOkAsync(ListingWorkload, "{}", _h.Kernel("alice"));

        Assert.Equal(FileSystem.MaxPageSize + 5, r.GetProperty("count").GetInt32());
        Assert.Equal(("f0000", "f1004"), (r.GetProperty("first").GetString(), r.GetProperty("last").GetString()));
        Assert.Equal([400, 400, 205], r.GetProperty("pages").EnumerateArray().Select(p => p.GetInt32()));
    }

    [Fact]
    public async Task EveryCall_Allowed_FromPython()
    {
        _h.Invoker.Reply = RecordingInvoker.Answer(InvocationStatus.Ok, """{"sum": 3}""", L("alice&carol,T"));
        var kernel = _h.Kernel("alice");
        var payload = JsonSerializer.Serialize(new { image = _image, url = _server.BaseUrl });

        var r = await vms.RunOkAsync(AllowedWorkload, payload, kernel);

        Assert.Equal(("T,T", "alice"), (r.GetProperty("label0").GetString(), r.GetProperty("privilege0").GetString()));
        Assert.Equal("hello", r.GetProperty("read").GetString());
        Assert.Equal("file", r.GetProperty("faceted").GetProperty("alice,alice").GetProperty("x").GetString());
        var list = r.GetProperty("list");
        Assert.Equal(("file", "file", "faceted_directory"), (list.GetProperty("notes").GetString(), list.GetProperty("notes2").GetString(), list.GetProperty("fd").GetString()));
        await AssertMissingAsync("home:<alice,alice>:work:notes2");

        var data = Enumerable.Repeat(Enumerable.Range(0, 256).Select(i => (byte)i), (3 * 4096) + 17).SelectMany(b => b).Concat("tail"u8.ToArray()).ToArray();
        var hash = Convert.ToHexStringLower(SHA256.HashData(data));
        Assert.Equal((hash, hash, data.Length), (r.GetProperty("hash").GetString(), r.GetProperty("sha").GetString(), r.GetProperty("size").GetInt32()));
        Assert.Equal([232, 233, 234, 235], r.GetProperty("at1000").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(L("alice,alice"), (await _h.Fs.StatAsync(Super(), "home:<alice,alice>:work:big")).Value.Label);
        Assert.Equal(L("alice,alice"), (await _h.Fs.StatAsync(Super(), "home:<alice,alice>:work:loose")).Value.Label);

        Assert.True((await _h.Fs.ResolveGateAsync(Super(), "home:<alice,alice>:work:alias")).IsOk);
        var sent = Assert.Single(_server.Requests);
        Assert.Equal(("PUT", "/echo/a%20b", "k3y", "ping"), (sent.Method, sent.Url, sent.Headers["X-Key"], Encoding.UTF8.GetString(sent.Body)));
        Assert.Equal(200, r.GetProperty("service")[0].GetInt32());

        Assert.Equal(3, r.GetProperty("invoke").GetProperty("sum").GetInt32());
        var requests = _h.Invoker.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.Equal((C("alice"), L("alice,T"), 1), (requests[0].InvokerPrivilege, requests[0].PayloadLabel, requests[0].Depth));
        Assert.Equal("""{"a": 1}""", System.Text.Encoding.UTF8.GetString(requests[0].Payload.Span));
        Assert.Equal(requests[1].Id, r.GetProperty("invoke_async").GetString());
        Assert.Equal("alice&carol,T", r.GetProperty("after_invoke").GetString());

        // alice may shed her own secrecy, not carol's.
        Assert.Equal("carol,T", r.GetProperty("declassify").GetString());
        Assert.Equal("carol,alice", r.GetProperty("endorse").GetString());
        Assert.Equal("alice/pma", r.GetProperty("sub_privilege").GetString());
        Assert.Equal("bob&carol,T", r.GetProperty("taint").GetString());
        Assert.Equal(L("bob&carol,T"), kernel.Context.Label);
        Assert.Equal(0, kernel.OpenBlobHandles);
    }

    private const string DeniedWorkload = """
        import json

        def attempt(r, name, call):
            try:
                call()
                r[name] = ["no error", ""]
            except Exception as e:
                r[name] = [type(e).__name__, str(e)]

        def handle(event, cc):
            r = {}
            attempt(r, "not_found", lambda: cc.fs_read("home:<bob,bob>:nope"))
            attempt(r, "wrong_kind", lambda: cc.fs_read("home:<bob,bob>"))
            attempt(r, "not_a_directory", lambda: cc.fs_list("home:<bob,bob>:secret:x"))
            attempt(r, "bad_path", lambda: cc.fs_read("home::x"))
            attempt(r, "bad_label", lambda: cc.fs_createdir("home:<bob,bob>:d", label="bob,,bob"))
            attempt(r, "exists", lambda: cc.fs_createfile("home:<bob,bob>:secret"))
            attempt(r, "write_denied", lambda: cc.fs_write("home:<T,alice>:public", b"defaced"))
            attempt(r, "create_denied", lambda: cc.fs_createfile("home:<T,alice>:mine"))
            attempt(r, "delete_denied", lambda: cc.fs_delete("home:<T,alice>:public"))
            attempt(r, "too_large", lambda: cc.fs_write("home:<bob,bob>:secret", b"x" * (5 * 1024 * 1024)))
            attempt(r, "gate_privilege", lambda: cc.fs_creategate("home:<bob,bob>:g", event["image"], "alice", "T"))
            attempt(r, "gate_image", lambda: cc.fs_creategate("home:<bob,bob>:g", "0" * 64, "bob", "T"))
            attempt(r, "redirect_privilege", lambda: cc.fs_createredirectgate("home:<bob,bob>:r", "home:<bob,bob>:g", "alice", "T"))
            attempt(r, "service_privilege", lambda: cc.fs_createservice("home:<bob,bob>:s", "http://x/", "T,T", "alice", "T"))
            attempt(r, "link_bad_hash", lambda: cc.fs_linkblob("home:<bob,bob>:b", "not-a-hash"))
            attempt(r, "link_missing", lambda: cc.fs_linkblob("home:<bob,bob>:b", "0" * 64))
            attempt(r, "open_missing", lambda: cc.fs_openblob("home:<bob,bob>:nope"))
            attempt(r, "create_blob_bad_path", lambda: cc.create_blob("home:::x"))
            attempt(r, "blob_link_denied", lambda: cc.create_blob("home:<T,alice>:b").finalize(b"x"))
            attempt(r, "faceted_bad_clearance", lambda: cc.fs_faceted_list("home", clearance="&"))
            attempt(r, "invoke_failed", lambda: cc.invoke("home:<T,bob>:fails", {}))
            attempt(r, "invoke_forbidden", lambda: cc.invoke("home:<T,bob>:forbidden", {}))
            attempt(r, "service_clearance", lambda: cc.invoke_service("home:<T,alice>:alice-only"))
            attempt(r, "service_param", lambda: cc.invoke_service("home:<T,bob>:templated"))
            attempt(r, "service_down", lambda: cc.invoke_service("home:<T,bob>:down"))
            attempt(r, "service_too_large", lambda: cc.invoke_service("home:<T,bob>:public-sink"))
            attempt(r, "sub_privilege_bad", lambda: cc.sub_privilege("a|b"))
            attempt(r, "declassify_bad", lambda: cc.declassify("a,b"))
            attempt(r, "taint_bad", lambda: cc.taint_with_label("bob"))
            r["label_before_secret"] = cc.get_current_label()
            cc.fs_read("home:<bob,bob>:secret")
            cc.taint_with_label("carol,T")
            attempt(r, "service_taint", lambda: cc.invoke_service("home:<T,bob>:public-sink"))
            attempt(r, "declassify_denied", lambda: cc.declassify("bob"))
            attempt(r, "write_after_taint", lambda: cc.fs_write("home:<bob,bob>:secret", b"x"))
            r["label_end"] = cc.get_current_label()
            return r
        """;

    [Fact]
    public async Task EveryCall_Denied_FromPython_RaisesTypedExceptions()
    {
        _server.Body = new byte[4096];
        _h.Invoker.Responder = request => request.GatePath switch
        {
            "home:<T,bob>:fails" => RecordingInvoker.Answer(InvocationStatus.FunctionError, "ValueError: boom", L("T,T")),
            _ => RecordingInvoker.Answer(InvocationStatus.Forbidden, label: L("T,T")),
        };
        var kernel = _h.Kernel("bob", options: new CloudCallKernelOptions { MaxServiceResponseBytes = 1000 });

        var r = await vms.RunOkAsync(DeniedWorkload, JsonSerializer.Serialize(new { image = _image }), kernel);

        var expected = new Dictionary<string, string>
        {
            ["not_found"] = "NotFound",
            ["wrong_kind"] = "WrongKind",
            ["not_a_directory"] = "NotADirectory",
            ["bad_path"] = "BadPath",
            ["bad_label"] = "BadLabel",
            ["exists"] = "Exists",
            ["write_denied"] = "LabelError",
            ["create_denied"] = "LabelError",
            ["delete_denied"] = "LabelError",
            ["too_large"] = "TooLarge",
            ["gate_privilege"] = "PrivilegeError",
            ["gate_image"] = "NotFound",
            ["redirect_privilege"] = "PrivilegeError",
            ["service_privilege"] = "PrivilegeError",
            ["link_bad_hash"] = "NotFound",
            ["link_missing"] = "NotFound",
            ["open_missing"] = "NotFound",
            ["create_blob_bad_path"] = "BadPath",
            ["blob_link_denied"] = "LabelError",
            ["faceted_bad_clearance"] = "BadLabel",
            ["invoke_failed"] = "InvocationFailed",
            ["invoke_forbidden"] = "PrivilegeError",
            ["service_clearance"] = "PrivilegeError",
            ["service_param"] = "BadRequest",
            ["service_down"] = "ServiceError",
            ["service_too_large"] = "TooLarge",
            ["sub_privilege_bad"] = "BadLabel",
            ["declassify_bad"] = "BadLabel",
            ["taint_bad"] = "BadLabel",
            ["service_taint"] = "LabelError",
            ["declassify_denied"] = "LabelError",
            ["write_after_taint"] = "LabelError",
        };
        foreach (var (name, type) in expected)
        {
            var outcome = r.GetProperty(name);
            Assert.True(type == outcome[0].GetString(), $"{name}: expected {type}, got {outcome[0]}: {outcome[1]}");
            Assert.False(string.IsNullOrWhiteSpace(outcome[1].GetString()), $"{name} has no message");
        }

        Assert.Contains("boom", r.GetProperty("invoke_failed")[1].GetString(), StringComparison.Ordinal);
        Assert.Contains("offset", r.GetProperty("bad_label")[1].GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("k3y", r.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(_server.BaseUrl, r.ToString(), StringComparison.Ordinal);

        // Nothing a denied call tried is visible, and the secret never went out.
        Assert.Empty((await _h.Fs.ReadFileAsync(Super(), "home:<T,alice>:public")).Value!);
        Assert.Equal("bob's secret", Encoding.UTF8.GetString((await _h.Fs.ReadFileAsync(Super(), "home:<bob,bob>:secret")).Value!));
        await AssertMissingAsync("home:<T,alice>:mine");
        await AssertMissingAsync("home:<T,alice>:b");
        Assert.Equal(L("bob&carol,T"), kernel.Context.Label);
        Assert.Equal("bob&carol,T", r.GetProperty("label_end").GetString());
        Assert.Single(_server.Requests);
    }

    private async Task AssertMissingAsync(string path) =>
        Assert.Equal(FsStatus.NotFound, (await _h.Fs.StatAsync(Super(), path)).Status);
}
